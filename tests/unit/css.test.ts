// The stylesheets stay organised by component: one rule per selector and media context (a later rule for
// the same selector hides where a component's look is decided), and print rules only in print.css.
import fs from 'node:fs';
import path from 'node:path';

const CSS_DIR = path.resolve(__dirname, '../../public/css');
const PRINT_SHEET = 'print.css';

interface Rule {
  context: string; // the enclosing at-rule preludes, outermost first ('' at top level)
  selectors: string[];
  properties: string[];
  line: number;
}

interface Sheet {
  rules: Rule[];
  atRules: Array<{ prelude: string; line: number }>;
  comments: string[];
}

/** Splits on `separator` outside strings, parentheses and brackets. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** A small parser for the plain CSS these files hold: rules, nested at-rules, comments. */
function parseCss(source: string): Sheet {
  const sheet: Sheet = { rules: [], atRules: [], comments: [] };
  const stack: string[] = [];
  let buffer = '';
  let bufferLine = 1;
  let line = 1;
  let quote = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') line++;
    if (quote) {
      buffer += c;
      if (c === '\\') buffer += source[++i];
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const comment = source.slice(i + 2, end);
      sheet.comments.push(comment.trim());
      line += comment.split('\n').length - 1;
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (!buffer.trim()) bufferLine = line;
    if (c === '{') {
      const prelude = buffer.trim().replace(/\s+/g, ' ');
      buffer = '';
      if (prelude.startsWith('@')) {
        sheet.atRules.push({ prelude, line: bufferLine });
        stack.push(prelude);
        continue;
      }
      const end = source.indexOf('}', i);
      const body = source.slice(i + 1, end);
      sheet.rules.push({
        context: stack.join(' / '),
        selectors: splitTopLevel(prelude, ',').map((s) => s.replace(/\s+/g, ' ')),
        properties: splitTopLevel(body.replace(/\/\*[\s\S]*?\*\//g, ''), ';').map((d) =>
          d.slice(0, d.indexOf(':')).trim().toLowerCase(),
        ),
        line: bufferLine,
      });
      line += body.split('\n').length - 1;
      i = end;
    } else if (c === '}') {
      stack.pop();
      buffer = '';
    } else {
      buffer += c;
    }
  }
  return sheet;
}

const sheets = fs
  .readdirSync(CSS_DIR)
  .filter((file) => file.endsWith('.css'))
  .map((file) => ({ file, sheet: parseCss(fs.readFileSync(path.join(CSS_DIR, file), 'utf8')) }));

describe('the stylesheets', () => {
  it('include the application and the print stylesheet', () => {
    expect(sheets.map((s) => s.file)).toEqual(expect.arrayContaining(['app.css', PRINT_SHEET]));
  });

  it.each(sheets)('$file styles each selector list in one rule per media context', ({ sheet }) => {
    const seen = new Map<string, number>();
    const repeated: string[] = [];
    for (const rule of sheet.rules) {
      const key = `${rule.context} { ${[...rule.selectors].sort().join(', ')}`;
      const first = seen.get(key);
      if (first !== undefined) repeated.push(`${key} (lines ${first} and ${rule.line})`);
      else seen.set(key, rule.line);
    }
    expect(repeated).toEqual([]);
  });

  it.each(sheets)('$file never sets a property of a selector twice in one media context', ({ sheet }) => {
    const seen = new Map<string, number>();
    const overridden: string[] = [];
    for (const rule of sheet.rules) {
      for (const selector of rule.selectors) {
        for (const property of new Set(rule.properties)) {
          const key = `${rule.context} { ${selector} { ${property}`;
          const first = seen.get(key);
          if (first !== undefined) overridden.push(`${key} (lines ${first} and ${rule.line})`);
          else seen.set(key, rule.line);
        }
      }
    }
    expect(overridden).toEqual([]);
  });

  it.each(sheets)('$file keeps print rules in the print stylesheet, which needs no @media print', ({ sheet }) => {
    const printBlocks = sheet.atRules.filter((at) => /^@media\b.*\bprint\b/.test(at.prelude));
    expect(printBlocks).toEqual([]);
  });

  it.each(sheets)('$file has no marker comments for appending rules at the end', ({ sheet }) => {
    expect(sheet.comments.filter((comment) => /^@[\w-]+:/.test(comment))).toEqual([]);
  });
});

describe('the CSS check itself', () => {
  it('sees a selector repeated inside the same media query but not across media queries', () => {
    const sheet = parseCss('a { color: red } @media (max-width: 1px) { a { color: blue } } a, b { margin: 0 }');
    expect(sheet.rules.map((r) => [r.context, r.selectors.join(','), r.properties.join(',')])).toEqual([
      ['', 'a', 'color'],
      ['@media (max-width: 1px)', 'a', 'color'],
      ['', 'a,b', 'margin'],
    ]);
  });

  it('keeps commas inside :is() and strings within one selector', () => {
    const sheet = parseCss("input:is([type='date'], [type='time']), a[title='x, y'] { content: ';' }");
    expect(sheet.rules.map((r) => [r.selectors, r.properties])).toEqual([
      [["input:is([type='date'], [type='time'])", "a[title='x, y']"], ['content']],
    ]);
  });
});
