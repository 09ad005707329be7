// zh-CN texts read as written Chinese: full-width punctuation beside Chinese characters (，：？！；（）),
// never ASCII, and one form of address (您) throughout. Interpolations ({{x}}, $t(...)) are left out.
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '../../../src/i18n/locales');
const CJK = /[\u3400-\u9fff]/;

function strings(node: unknown, at: string[] = []): [string, string][] {
  if (typeof node === 'string') return [[at.join('.'), node]];
  if (node && typeof node === 'object')
    return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => strings(v, [...at, k]));
  return [];
}

const zhTexts: [string, string][] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('zh-CN.json'))
  .flatMap((f) =>
    strings(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'))).map(([k, v]): [string, string] => [`${f} ${k}`, v]),
  );

describe('zh-CN texts', () => {
  it('are many (the check reads every file)', () => {
    expect(zhTexts.length).toBeGreaterThan(300);
  });

  it('use full-width punctuation in Chinese sentences', () => {
    const wrong = zhTexts.filter(([, text]) => {
      if (!CJK.test(text)) return false;
      const prose = text.replace(/\$t\([^)]*\)|\{\{[^}]*\}\}/g, '');
      // ASCII , : ? ! ; next to a Chinese character or a full-width mark, or any ASCII parenthesis.
      return /[()]/.test(prose) || /[\u3400-\u9fff）」][,:?!;]|[,:?!;]\s*[\u3400-\u9fff]/.test(prose);
    });
    expect(wrong).toEqual([]);
  });

  it('address the reader as 您, never 你', () => {
    expect(zhTexts.filter(([, text]) => text.includes('你'))).toEqual([]);
  });
});
