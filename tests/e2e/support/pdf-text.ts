// The text of each page of a PDF that Chromium printed (Skia's writer), for the journeys that print: no PDF
// library is a dependency, and poppler is not on every machine, so this reads just what Skia writes: an xref
// table, Flate streams, Type0 fonts whose ToUnicode CMaps map glyph codes back to text, and content streams
// (with form XObjects). Runs are placed by their position on the page and read as lines, top to bottom,
// left to right.
import zlib from 'node:zlib';

type PdfValue = number | string | boolean | null | PdfName | PdfRef | PdfValue[] | PdfDict | PdfString;
interface PdfName {
  name: string;
}
interface PdfRef {
  ref: number;
}
interface PdfString {
  bytes: string; // latin1: one character per byte
}
type PdfDict = { [key: string]: PdfValue };
type Matrix = [number, number, number, number, number, number];

const isName = (v: PdfValue | undefined): v is PdfName => typeof v === 'object' && v !== null && 'name' in v;
const isRef = (v: PdfValue | undefined): v is PdfRef => typeof v === 'object' && v !== null && 'ref' in v;
const isString = (v: PdfValue | undefined): v is PdfString => typeof v === 'object' && v !== null && 'bytes' in v;
const isDict = (v: PdfValue | undefined): v is PdfDict =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isName(v) && !isRef(v) && !isString(v);

const WHITE = new Set([' ', '\n', '\r', '\t', '\f', '\0']);
const DELIM = new Set(['(', ')', '<', '>', '[', ']', '{', '}', '/', '%']);

/** Reads PDF tokens and objects from a latin1 string (the file, or a decoded content stream). */
class Lexer {
  constructor(
    readonly text: string,
    public pos = 0,
  ) {}

  skipSpace(): void {
    const s = this.text;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (WHITE.has(c)) this.pos++;
      else if (c === '%') while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
      else break;
    }
  }

  /** The next object, or an operator/keyword as { op }; undefined at the end. */
  next(): PdfValue | { op: string } | undefined {
    this.skipSpace();
    const s = this.text;
    if (this.pos >= s.length) return undefined;
    const c = s[this.pos]!;
    if (c === '/') {
      let end = this.pos + 1;
      while (end < s.length && !WHITE.has(s[end]!) && !DELIM.has(s[end]!)) end++;
      const name = s
        .slice(this.pos + 1, end)
        .replace(/#([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      this.pos = end;
      return { name };
    }
    if (c === '(') return this.literal();
    if (c === '<' && s[this.pos + 1] === '<') {
      this.pos += 2;
      const dict: PdfDict = {};
      for (;;) {
        this.skipSpace();
        if (s.startsWith('>>', this.pos)) {
          this.pos += 2;
          return dict;
        }
        const key = this.next();
        if (!isName(key as PdfValue)) throw new Error(`PDF: a dictionary key is not a name at ${this.pos}`);
        dict[(key as PdfName).name] = this.value();
      }
    }
    if (c === '<') {
      const end = s.indexOf('>', this.pos);
      const hex = s.slice(this.pos + 1, end).replace(/\s+/g, '');
      this.pos = end + 1;
      const even = hex.length % 2 ? hex + '0' : hex;
      let bytes = '';
      for (let i = 0; i < even.length; i += 2) bytes += String.fromCharCode(parseInt(even.slice(i, i + 2), 16));
      return { bytes };
    }
    if (c === '[') {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (s[this.pos] === ']') {
          this.pos++;
          return items;
        }
        items.push(this.value());
      }
    }
    let end = this.pos;
    while (end < s.length && !WHITE.has(s[end]!) && !DELIM.has(s[end]!)) end++;
    if (end === this.pos) end++; // a stray delimiter
    const word = s.slice(this.pos, end);
    this.pos = end;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      // "12 0 R" is a reference.
      const m = /^\s+(\d+)\s+R(?![^\s/<>[\]()%])/.exec(s.slice(this.pos, this.pos + 24));
      if (m && /^\d+$/.test(word)) {
        this.pos += m[0].length;
        return { ref: Number(word) };
      }
      return Number(word);
    }
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    return { op: word };
  }

  /** The next object (an operator here is an error). */
  value(): PdfValue {
    const v = this.next();
    if (v === undefined || (typeof v === 'object' && v !== null && 'op' in v)) {
      throw new Error(`PDF: expected a value at ${this.pos}`);
    }
    return v as PdfValue;
  }

  private literal(): PdfString {
    const s = this.text;
    let depth = 0;
    let bytes = '';
    this.pos++;
    for (; this.pos < s.length; this.pos++) {
      const c = s[this.pos]!;
      if (c === '\\') {
        const d = s[++this.pos]!;
        const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
        if (d in escapes) bytes += escapes[d];
        else if (/[0-7]/.test(d)) {
          const oct = /^[0-7]{1,3}/.exec(s.slice(this.pos, this.pos + 3))![0];
          bytes += String.fromCharCode(parseInt(oct, 8) & 0xff);
          this.pos += oct.length - 1;
        } else if (d === '\r') {
          if (s[this.pos + 1] === '\n') this.pos++;
        } else if (d !== '\n') bytes += d;
      } else if (c === '(') {
        depth++;
        bytes += c;
      } else if (c === ')') {
        if (depth === 0) {
          this.pos++;
          return { bytes };
        }
        depth--;
        bytes += c;
      } else bytes += c;
    }
    throw new Error('PDF: unterminated string');
  }
}

interface PdfObject {
  value: PdfValue;
  /** Where the stream's bytes start in the file, when the object is a stream. */
  streamAt?: number;
}

/** A decoded CMap: glyph code → text, and how many bytes a code takes. */
interface ToUnicode {
  bytes: number;
  map: Map<number, string>;
}

/** What a run needs of a font: its text, and each code's advance in thousandths of the font size. */
interface Font {
  cmap: ToUnicode | null;
  bytes: number;
  width: (code: number) => number;
}

const utf16be = (bytes: string) => {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2)
    out += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1));
  return out;
};
const codeOf = (bytes: string) => [...bytes].reduce((n, ch) => n * 256 + ch.charCodeAt(0), 0);

function parseCMap(text: string): ToUnicode {
  const map = new Map<number, string>();
  const space = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(text);
  const bytes = space ? space[1]!.length / 2 : 2;
  const lexer = new Lexer(text);
  for (;;) {
    const token = lexer.next();
    if (token === undefined) break;
    if (typeof token !== 'object' || token === null || !('op' in token)) continue;
    if (token.op === 'beginbfchar') {
      for (;;) {
        const src = lexer.next();
        if (!isString(src as PdfValue)) break;
        const dst = lexer.value();
        if (isString(dst)) map.set(codeOf((src as PdfString).bytes), utf16be(dst.bytes));
      }
    } else if (token.op === 'beginbfrange') {
      for (;;) {
        const lo = lexer.next();
        if (!isString(lo as PdfValue)) break;
        const hi = lexer.value() as PdfString;
        const dst = lexer.value();
        const from = codeOf((lo as PdfString).bytes);
        const to = codeOf(hi.bytes);
        for (let code = from; code <= to; code++) {
          if (Array.isArray(dst)) {
            const item = dst[code - from];
            if (isString(item)) map.set(code, utf16be(item.bytes));
          } else if (isString(dst)) {
            const base = utf16be(dst.bytes);
            const last = base.charCodeAt(base.length - 1) + (code - from);
            map.set(code, base.slice(0, -1) + String.fromCharCode(last));
          }
        }
      }
    }
  }
  return { bytes, map };
}

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

interface Run {
  x: number;
  y: number;
  /** Where the run's last glyph ends, and its type size, in page space. */
  end: number;
  size: number;
  text: string;
}

class PdfFile {
  private readonly text: string;
  private readonly offsets = new Map<number, number>();
  private readonly objects = new Map<number, PdfObject>();
  private readonly fonts = new Map<number, Font>();
  readonly trailer: PdfDict;

  constructor(private readonly buffer: Buffer) {
    this.text = buffer.toString('latin1');
    const start = /startxref\s+(\d+)/.exec(this.text.slice(-1024));
    if (!start) throw new Error('PDF: no startxref');
    const lexer = new Lexer(this.text, Number(start[1]));
    const keyword = lexer.next() as { op?: string };
    if (keyword.op !== 'xref') throw new Error('PDF: no xref table (an xref stream is not read here)');
    for (;;) {
      const first = lexer.next();
      if (typeof first !== 'number') break; // "trailer"
      const count = lexer.value() as number;
      for (let i = 0; i < count; i++) {
        const offset = lexer.value() as number;
        lexer.value(); // generation
        const kind = lexer.next() as { op: string };
        if (kind.op === 'n') this.offsets.set(first + i, offset);
      }
    }
    this.trailer = lexer.value() as PdfDict;
  }

  object(num: number): PdfObject {
    const known = this.objects.get(num);
    if (known) return known;
    const offset = this.offsets.get(num);
    if (offset === undefined) throw new Error(`PDF: object ${num} is not in the xref table`);
    const lexer = new Lexer(this.text, offset);
    lexer.value(); // number
    lexer.value(); // generation
    lexer.next(); // obj
    const value = lexer.value();
    lexer.skipSpace();
    const object: PdfObject = { value };
    if (this.text.startsWith('stream', lexer.pos)) {
      let at = lexer.pos + 'stream'.length;
      if (this.text[at] === '\r') at++;
      if (this.text[at] === '\n') at++;
      object.streamAt = at;
    }
    this.objects.set(num, object);
    return object;
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    return isRef(v) ? this.object(v.ref).value : v;
  }

  dict(v: PdfValue | undefined): PdfDict {
    const d = this.resolve(v);
    return isDict(d) ? d : {};
  }

  /** A stream's decoded bytes as latin1. */
  stream(ref: PdfValue | undefined): string {
    if (!isRef(ref)) throw new Error('PDF: a stream is not an indirect object');
    const object = this.object(ref.ref);
    if (object.streamAt === undefined || !isDict(object.value)) throw new Error(`PDF: object ${ref.ref} is no stream`);
    const length = this.resolve(object.value.Length) as number;
    let data = this.buffer.subarray(object.streamAt, object.streamAt + length);
    const filter = this.resolve(object.value.Filter);
    const filters = (Array.isArray(filter) ? filter : filter ? [filter] : []).map((f) => (isName(f) ? f.name : ''));
    for (const name of filters) {
      if (name !== 'FlateDecode') throw new Error(`PDF: filter ${name} is not read here`);
      data = zlib.inflateSync(data);
    }
    return data.toString('latin1');
  }

  /** The pages in order, from the catalog's page tree. */
  pages(): PdfDict[] {
    const root = this.dict(this.trailer.Root);
    const out: PdfDict[] = [];
    const walk = (node: PdfDict, inherited: PdfDict) => {
      const resources = node.Resources ?? inherited.Resources;
      if (isName(node.Type) && node.Type.name === 'Page') {
        out.push({ ...node, Resources: resources ?? {} });
        return;
      }
      const kids = this.resolve(node.Kids);
      for (const kid of Array.isArray(kids) ? kids : []) walk(this.dict(kid), { Resources: resources ?? null });
    };
    walk(this.dict(root.Pages), {});
    return out;
  }

  private font(fontRef: PdfValue | undefined): Font {
    const key = isRef(fontRef) ? fontRef.ref : -1;
    const known = this.fonts.get(key);
    if (known) return known;
    const dict = this.dict(fontRef);
    const cmap = dict.ToUnicode ? parseCMap(this.stream(dict.ToUnicode)) : null;
    const subtype = isName(dict.Subtype) ? dict.Subtype.name : '';
    const widths = new Map<number, number>();
    let fallback = 0;
    if (subtype === 'Type0') {
      // CIDs are the codes (Identity-H); /W lists "first [w w ...]" and "first last w".
      const descendants = this.resolve(dict.DescendantFonts);
      const cid = this.dict(Array.isArray(descendants) ? descendants[0] : undefined);
      fallback = typeof cid.DW === 'number' ? cid.DW : 1000;
      const w = this.resolve(cid.W);
      const list = Array.isArray(w) ? w.map((item) => this.resolve(item)) : [];
      for (let i = 0; i < list.length;) {
        const first = list[i] as number;
        const next = list[i + 1];
        if (Array.isArray(next)) {
          next.forEach((width, j) => widths.set(first + j, this.resolve(width) as number));
          i += 2;
        } else {
          for (let code = first; code <= (next as number); code++) widths.set(code, list[i + 2] as number);
          i += 3;
        }
      }
    } else {
      // Simple fonts: /Widths from /FirstChar; a Type3 font's widths are in its own glyph space.
      const first = (this.resolve(dict.FirstChar) as number) ?? 0;
      const matrix = this.resolve(dict.FontMatrix);
      const scale = Array.isArray(matrix) ? (matrix[0] as number) * 1000 : 1;
      const list = this.resolve(dict.Widths);
      if (Array.isArray(list))
        list.forEach((width, j) => widths.set(first + j, (this.resolve(width) as number) * scale));
    }
    const font: Font = {
      cmap,
      bytes: subtype === 'Type0' ? (cmap?.bytes ?? 2) : 1,
      width: (code) => widths.get(code) ?? fallback,
    };
    this.fonts.set(key, font);
    return font;
  }

  /** Every text run a content stream paints, with its place in page space. */
  runs(content: string, resources: PdfDict, ctm: Matrix, into: Run[] = [], depth = 0): Run[] {
    const fonts = this.dict(resources.Font);
    const xobjects = this.dict(resources.XObject);
    const lexer = new Lexer(content);
    const stack: Matrix[] = [];
    let operands: PdfValue[] = [];
    let tm: Matrix = IDENTITY;
    let tlm: Matrix = IDENTITY;
    let leading = 0;
    let font: Font = { cmap: null, bytes: 1, width: () => 0 };
    let fontSize = 0;
    // Shows strings (and, in a TJ array, the numbers that move the next glyph back) and advances the text matrix.
    const show = (parts: PdfValue[]) => {
      const at = multiply(tm, ctm);
      let text = '';
      let advance = 0; // text space units
      for (const part of parts) {
        if (typeof part === 'number') advance -= (part / 1000) * fontSize;
        if (!isString(part)) continue;
        for (let i = 0; i + font.bytes <= part.bytes.length; i += font.bytes) {
          const code = codeOf(part.bytes.slice(i, i + font.bytes));
          text += font.cmap ? (font.cmap.map.get(code) ?? '') : String.fromCharCode(code);
          advance += (font.width(code) / 1000) * fontSize;
        }
      }
      tm = multiply([1, 0, 0, 1, advance, 0], tm);
      if (text) into.push({ x: at[4], y: at[5], end: at[4] + advance * at[0], size: Math.abs(fontSize * at[3]), text });
    };
    const nextLine = (tx: number, ty: number) => {
      tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
      tm = tlm;
    };
    for (;;) {
      const token = lexer.next();
      if (token === undefined) break;
      if (typeof token !== 'object' || token === null || !('op' in token)) {
        operands.push(token as PdfValue);
        continue;
      }
      const n = operands as number[];
      switch (token.op) {
        case 'q':
          stack.push(ctm);
          break;
        case 'Q':
          ctm = stack.pop() ?? ctm;
          break;
        case 'cm':
          ctm = multiply(n.slice(0, 6) as Matrix, ctm);
          break;
        case 'BT':
          tm = tlm = IDENTITY;
          break;
        case 'Tf':
          if (isName(operands[0])) font = this.font(fonts[operands[0].name]);
          fontSize = n[1]!;
          break;
        case 'Tm':
          tm = tlm = n.slice(0, 6) as Matrix;
          break;
        case 'Td':
          nextLine(n[0]!, n[1]!);
          break;
        case 'TD':
          leading = -n[1]!;
          nextLine(n[0]!, n[1]!);
          break;
        case 'TL':
          leading = n[0]!;
          break;
        case 'T*':
          nextLine(0, -leading);
          break;
        case "'":
        case '"':
          nextLine(0, -leading);
          show(operands.slice(-1));
          break;
        case 'Tj':
          show(operands.slice(0, 1));
          break;
        case 'TJ':
          if (Array.isArray(operands[0])) show(operands[0]);
          break;
        case 'Do': {
          const ref = isName(operands[0]) ? xobjects[operands[0].name] : undefined;
          const xobject = this.dict(ref);
          if (depth < 8 && isName(xobject.Subtype) && xobject.Subtype.name === 'Form') {
            const matrix = Array.isArray(xobject.Matrix) ? (xobject.Matrix as number[] as Matrix) : IDENTITY;
            this.runs(
              this.stream(ref),
              this.dict(xobject.Resources ?? resources),
              multiply(matrix, ctm),
              into,
              depth + 1,
            );
          }
          break;
        }
        case 'BI': {
          // An inline image: skip its data.
          const end = content.indexOf('EI', content.indexOf('ID', lexer.pos));
          lexer.pos = end < 0 ? content.length : end + 2;
          break;
        }
      }
      operands = [];
    }
    return into;
  }
}

/** Runs whose baselines are this close (in points) are on one line. */
const LINE_TOLERANCE = 2;
/** A gap wider than this share of the type size between two runs reads as a space. */
const SPACE_GAP = 0.2;

/**
 * The text of each page: its lines from the top of the page down, each line's runs from left to right,
 * with a space where a gap between two runs is wider than a narrow space (table cells, words set apart).
 */
export function pdfPageTexts(pdf: Buffer): string[] {
  const file = new PdfFile(pdf);
  return file.pages().map((page) => {
    const resources = file.dict(page.Resources);
    const contents = file.resolve(page.Contents);
    const parts = Array.isArray(contents) ? contents : [page.Contents];
    const content = parts.map((part) => file.stream(part)).join('\n');
    const runs = file.runs(content, resources, IDENTITY);
    // Page space has y upwards: the top line has the largest y.
    runs.sort((a, b) => b.y - a.y);
    const lines: Run[][] = [];
    for (const run of runs) {
      const line = lines[lines.length - 1];
      if (line && Math.abs(line[0]!.y - run.y) <= LINE_TOLERANCE) line.push(run);
      else lines.push([run]);
    }
    return lines
      .map((line) => {
        line.sort((a, b) => a.x - b.x);
        let text = '';
        line.forEach((run, i) => {
          const gap = i > 0 ? run.x - line[i - 1]!.end : 0;
          text += (gap > SPACE_GAP * run.size ? ' ' : '') + run.text;
        });
        return text;
      })
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter(Boolean)
      .join('\n');
  });
}
