// The prepared lookup behind t() answers exactly as i18next does, for every key of both locales.
import { isDeepStrictEqual } from 'node:util';
import { catalogue } from '../../src/i18n/catalogue';
import { i18nextTranslator, LANGUAGES, type Language, locales, translator } from '../../src/i18n/i18n';

type Tree = { [key: string]: string | Tree };
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every key of a tree: its branches, its leaves, and each plural base (students.count for students.count_one). */
function allKeys(tree: Tree, prefix = '', into = new Set<string>()): Set<string> {
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    into.add(key);
    into.add(key.replace(PLURAL_SUFFIX, ''));
    if (typeof value === 'object') allKeys(value, key, into);
  }
  return into;
}

function leafTexts(tree: Tree, prefix = '', into = new Map<string, string[]>()): Map<string, string[]> {
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'object') leafTexts(value, key, into);
    else {
      const base = key.replace(PLURAL_SUFFIX, '');
      into.set(base, [...(into.get(base) ?? []), value]);
      if (base !== key) into.set(key, [value]);
    }
  }
  return into;
}

const trees = locales as unknown as Record<Language, Tree>;
const keys = [...new Set([...allKeys(trees.en), ...allKeys(trees['zh-CN'])])].sort();
const texts = new Map<string, string[]>();
for (const lang of LANGUAGES) {
  for (const [key, values] of leafTexts(trees[lang])) texts.set(key, [...(texts.get(key) ?? []), ...values]);
}

function placeholders(key: string): string[] {
  const names = new Set<string>();
  for (const text of texts.get(key) ?? []) {
    for (const m of text.matchAll(/\{\{(.+?)\}\}/g)) names.add(m[1]!.trim());
  }
  return [...names];
}

// Values a page really passes, and ones that try to confuse a hand-written interpolation.
const SAMPLES: unknown[] = ['Ada', 42, 0, '{{name}}', '$t(status.enrolled)', "$&$1$'", '', true, 1.5, '王小明'];

function filled(key: string, shift: number): Record<string, unknown> {
  return Object.fromEntries(placeholders(key).map((name, i) => [name, SAMPLES[(i + shift) % SAMPLES.length]]));
}

/** The option sets each key is tried with. */
function optionSets(key: string): (Record<string, unknown> | undefined)[] {
  const sets: (Record<string, unknown> | undefined)[] = [undefined, {}];
  for (let shift = 0; shift < SAMPLES.length; shift += 3) sets.push(filled(key, shift));
  const names = placeholders(key);
  if (names.length > 0)
    sets.push({ ...filled(key, 1), [names[0]!]: undefined }, Object.fromEntries([[names[0]!, 'x']]));
  for (const count of [0, 1, 2, 5, 1.5, -1]) sets.push({ ...filled(key, 2), count });
  sets.push({ ...filled(key, 0), count: '3' });
  sets.push({ defaultValue: 'Fallback text' }, { defaultValue: 'Hi {{name}}', name: 'Ada' }, { defaultValue: '' });
  sets.push({ ...filled(key, 0), name: 'Chinese name', name_en: 'English name' });
  sets.push({ ...filled(key, 0), context: 'male' }, { ...filled(key, 0), returnObjects: true });
  return sets;
}

const MISSING = ['no.such.key', 'students', 'status.unknown_value', 'students.count_one.deeper', '', 'a b c', 'x:y'];

describe('t() through the prepared catalogue', () => {
  test.each(LANGUAGES)('gives what i18next gives for every key and option set (%s)', (lang) => {
    const fast = translator(lang);
    const slow = i18nextTranslator(lang);
    const differences: string[] = [];
    let compared = 0;
    for (const key of [...keys, ...MISSING]) {
      for (const options of optionSets(key)) {
        const got = fast(key, options ? { ...options } : undefined);
        const want = slow(key, options ? { ...options } : undefined);
        compared++;
        if (!isDeepStrictEqual(got, want))
          differences.push(`${key} ${JSON.stringify(options)}: ${String(got)} != ${String(want)}`);
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
  });

  test.each(LANGUAGES)('answers every plain string itself, without asking i18next (%s)', (lang) => {
    const hierarchy = lang === 'en' ? (['en'] as const) : (['zh-CN', 'en'] as const);
    const book = catalogue(hierarchy.map((code) => ({ lang: code, tree: trees[code] })));
    const unanswered: string[] = [];
    for (const [key, values] of leafTexts(trees[lang])) {
      if (values.some((text) => text.includes('$t('))) continue; // nesting is i18next's
      const base = !PLURAL_SUFFIX.test(key) && values.length > 1; // students.count: its forms
      const options = base || 'count' in filled(key, 0) ? { ...filled(key, 0), count: 2 } : filled(key, 0);
      if (book.resolve(key, options) === undefined) unanswered.push(key);
    }
    expect(unanswered).toEqual([]);
  });

  test('a plural key picks the form of the count, and a Chinese page falls back to English for a missing key', () => {
    const book = catalogue([
      { lang: 'zh-CN', tree: { a: { n_other: '{{count}} 个' } } },
      { lang: 'en', tree: { a: { n_one: 'one thing', n_other: '{{count}} things' }, only: 'English only' } },
    ]);
    expect(book.resolve('a.n', { count: 1 })).toBe('1 个');
    expect(book.resolve('only')).toBe('English only');
    expect(book.resolve('a')).toBeUndefined(); // an object: i18next's own answer
  });
});
