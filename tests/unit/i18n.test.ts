import { locales } from '../../src/i18n/i18n';

// The merged locales: the core files plus every feature's files (src/i18n/features.ts).
const en = locales.en as Record<string, Record<string, string>>;
const zhCN = locales['zh-CN'] as Record<string, Record<string, string>>;

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a locale file as [dotted key, value]. */
function leaves(tree: unknown, prefix = ''): [string, unknown][] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [[prefix, tree]];
  return Object.entries(tree).flatMap(([name, value]) => leaves(value, prefix ? `${prefix}.${name}` : name));
}

/** Keys with i18next plural forms folded into one: students.count_one and students.count_other are students.count. */
function keys(tree: unknown): Set<string> {
  return new Set(leaves(tree).map(([key]) => key.replace(PLURAL_SUFFIX, '')));
}

/** The {{placeholders}} used by a key, across all its plural forms. */
function placeholders(tree: unknown): Map<string, string[]> {
  const found = new Map<string, Set<string>>();
  for (const [key, value] of leaves(tree)) {
    const base = key.replace(PLURAL_SUFFIX, '');
    const names = found.get(base) ?? new Set<string>();
    for (const match of String(value).matchAll(/\{\{\s*(\w+)\s*\}\}/g)) names.add(match[1]!);
    found.set(base, names);
  }
  return new Map([...found].map(([key, names]) => [key, [...names].sort()]));
}

const LOCALES = { en, 'zh-CN': zhCN } as const;

describe('the locale files', () => {
  test.each([
    ['en', 'zh-CN'],
    ['zh-CN', 'en'],
  ] as const)('every key in %s exists in %s', (from, to) => {
    const missing = [...keys(LOCALES[from])].filter((key) => !keys(LOCALES[to]).has(key));
    expect(missing).toEqual([]);
  });

  test.each(Object.keys(LOCALES) as (keyof typeof LOCALES)[])('%s has no empty or non-text value', (lang) => {
    const bad = leaves(LOCALES[lang])
      .filter(([, value]) => typeof value !== 'string' || value.trim() === '')
      .map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it('uses the same {{placeholders}} for each key in both languages', () => {
    const english = placeholders(en);
    const chinese = placeholders(zhCN);
    const differing = [...english]
      .filter(([key, names]) => chinese.has(key) && names.join() !== chinese.get(key)!.join())
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('folds plural forms into one key (students.count exists in both)', () => {
    expect(keys(en).has('students.count')).toBe(true);
    expect(keys(zhCN).has('students.count')).toBe(true);
    expect(keys(en).has('students.count_one')).toBe(false);
  });

  it('has no Chinese value left as a copy of the English one', () => {
    const english = new Map(leaves(en));
    // An em dash for "no value" in both; a number and a name joined by one ("2025000001 — 谢可馨").
    const LANGUAGE_NEUTRAL = new Set(['form.none', 'admin.users.person', 'admin.audit.export.change_plain']);
    const copied = leaves(zhCN)
      .filter(([key, value]) => !LANGUAGE_NEUTRAL.has(key) && english.get(key) === value)
      .map(([key]) => key);
    expect(copied).toEqual([]);
    expect(zhCN.auth!.sign_in).toBe('登录');
  });
});
