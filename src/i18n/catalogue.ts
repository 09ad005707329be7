// The locale trees flattened once per language into key -> prepared string, so that t() on a page is a
// map lookup plus, when the string has {{placeholders}}, a join of its pieces. i18next stays the source
// of truth: whatever this cannot answer exactly as i18next would (nesting, formats, contexts, objects, odd
// option names or values) returns undefined and the caller asks i18next. tests/unit/i18n-catalogue.test.ts
// compares the two for every key of both locales.

type Tree = { [key: string]: string | Tree };

/** A string split at its placeholders: literal, name, literal, name, ..., literal. */
interface Prepared {
  readonly text: string;
  /** Undefined when the string has no placeholder; then `text` is the answer. */
  readonly parts?: readonly string[];
}

/** A key that i18next must answer: a branch (an object), a non-string leaf, a nesting or a format. */
const ASK_I18NEXT = Symbol('ask i18next');
type Entry = Prepared | typeof ASK_I18NEXT;

// i18next's own interpolation pattern (`{{(.+?)}}`); only plain names are handled here.
const PLACEHOLDER = /\{\{(.+?)\}\}/g;
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NESTING = '$t(';

function prepare(text: string): Entry {
  if (text.includes(NESTING)) return ASK_I18NEXT;
  if (!text.includes('{{')) return { text };
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!.trim();
    // `{{- x}}` (unescaped), `{{x, number}}` (a format) and `{{a.b}}` (a path) stay with i18next.
    if (!PLAIN_NAME.test(name)) return ASK_I18NEXT;
    parts.push(text.slice(last, match.index), name);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return { text, parts };
}

function flatten(tree: Tree, into: Map<string, Entry>, prefix = ''): Map<string, Entry> {
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    // A dotted or namespaced name would make two paths look alike: i18next decides those.
    if (name.includes('.') || name.includes(':')) into.set(key, ASK_I18NEXT);
    else if (typeof value === 'string') into.set(key, prepare(value));
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      into.set(key, ASK_I18NEXT);
      flatten(value, into, key);
    } else into.set(key, ASK_I18NEXT);
  }
  return into;
}

/**
 * Options that change how i18next resolves (rather than values to interpolate): with any of them set,
 * i18next answers. `count` and `defaultValue` are handled here.
 */
const RESOLVING_OPTIONS = [
  'context',
  'replace',
  'lng',
  'lngs',
  'fallbackLng',
  'ns',
  'ordinal',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'skipInterpolation',
  'keySeparator',
  'nsSeparator',
  'keyPrefix',
  'nest',
  'missingInterpolationHandler',
  'appendNamespaceToCIMode',
  'defaultValue_zero',
  'defaultValue_one',
  'defaultValue_two',
  'defaultValue_few',
  'defaultValue_many',
  'defaultValue_other',
] as const;

type Options = Record<string, unknown>;

/** A value as i18next writes it into a string; undefined when i18next has its own rules for it. */
function valueOf(options: Options | undefined, name: string): string | undefined {
  if (!options || !Object.hasOwn(options, name)) return undefined;
  const value = options[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

function interpolate(prepared: Prepared, options: Options | undefined): string | undefined {
  const parts = prepared.parts;
  if (!parts) return prepared.text;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const value = valueOf(options, parts[i]!);
    // A missing or unusual value (i18next keeps the placeholder, or writes '' for an own undefined).
    if (value === undefined) return undefined;
    out += value + parts[i + 1]!;
  }
  // i18next would resolve a $t(...) that a value brought in only if the string had one already: never here.
  return out;
}

export interface Catalogue {
  /** What i18next's t(key, options) gives for `lang`, or undefined when i18next must be asked. */
  resolve(key: unknown, options?: unknown): string | undefined;
}

/**
 * `hierarchy`: the languages i18next tries in order for this one (the language, then its fallbacks),
 * each with its locale tree.
 */
export function catalogue(hierarchy: readonly { lang: string; tree: Tree }[]): Catalogue {
  const levels = hierarchy.map(({ lang, tree }) => ({
    entries: flatten(tree, new Map()),
    plural: new Intl.PluralRules(lang.replace(/_/g, '-'), { type: 'cardinal' }),
  }));

  return {
    resolve(key, rawOptions) {
      if (typeof key !== 'string' || key.includes(':') || key.includes('{{') || key.includes(NESTING)) {
        return undefined;
      }
      if (rawOptions !== undefined && (typeof rawOptions !== 'object' || rawOptions === null)) return undefined;
      const options = rawOptions as Options | undefined;
      let count: number | undefined;
      if (options) {
        for (const name of RESOLVING_OPTIONS) if (options[name] !== undefined) return undefined;
        // A string count is only a value to interpolate (i18next makes no plural of it).
        if (typeof options.count === 'number') count = options.count;
        else if (options.count !== undefined && typeof options.count !== 'string') return undefined;
      }
      for (const level of levels) {
        let entry: Entry | undefined;
        if (count !== undefined) {
          // i18next's order: key_zero (count 0), key_<plural category>, key.
          if (count === 0) entry = level.entries.get(`${key}_zero`);
          entry ??= level.entries.get(`${key}_${level.plural.select(count)}`);
        }
        entry ??= level.entries.get(key);
        if (entry === ASK_I18NEXT) return undefined;
        if (entry) return interpolate(entry, options);
      }
      // Missing everywhere: the default value, else the key itself (plural defaults stay with i18next).
      if (count !== undefined) return undefined;
      if (options && Object.keys(options).some((name) => name.startsWith('defaultValue') && name !== 'defaultValue')) {
        return undefined;
      }
      const fallback = options?.defaultValue;
      if (fallback === undefined) return key;
      if (typeof fallback !== 'string' || fallback.includes('{{') || fallback.includes(NESTING)) return undefined;
      return fallback;
    },
  };
}
