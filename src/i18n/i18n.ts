// i18next set up once with the bundled locale files; `translator(lang)` gives a fixed-language t().
import i18next, { type TFunction } from 'i18next';
import { catalogue } from './catalogue';
import { FEATURE_LOCALES } from './features';
import coreEn from './locales/en.json';
import coreZhCN from './locales/zh-CN.json';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

type Tree = { [key: string]: string | Tree };

/** Deep merge that refuses a key defined twice, so a feature cannot silently replace another's text. */
function merge(target: Tree, source: Tree, path = ''): Tree {
  for (const [key, value] of Object.entries(source)) {
    const where = path ? `${path}.${key}` : key;
    const existing = target[key];
    if (typeof value === 'object' && (existing === undefined || typeof existing === 'object')) {
      target[key] = merge((existing as Tree) ?? {}, value, where);
    } else if (existing !== undefined) {
      throw new Error(`locale key ${where} is defined twice`);
    } else {
      target[key] = value;
    }
  }
  return target;
}

const en = FEATURE_LOCALES.en.reduce<Tree>((all, file) => merge(all, file as Tree), merge({}, coreEn as Tree));
const zhCN = FEATURE_LOCALES['zh-CN'].reduce<Tree>(
  (all, file) => merge(all, file as Tree),
  merge({}, coreZhCN as Tree),
);

const instance = i18next.createInstance();
void instance.init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  // EJS escapes output itself; escaping here too would double-escape.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

const fixed = { en: instance.getFixedT('en'), 'zh-CN': instance.getFixedT('zh-CN') };
const trees: Record<Language, Tree> = { en, 'zh-CN': zhCN };

/** i18next's answers, looked up in strings prepared at start-up; i18next itself for anything unusual. */
const catalogues = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    catalogue(
      (instance.services.languageUtils.toResolveHierarchy(lang) as string[])
        .filter((code): code is Language => (LANGUAGES as readonly string[]).includes(code))
        .map((code) => ({ lang: code, tree: trees[code] })),
    ),
  ]),
) as Record<Language, ReturnType<typeof catalogue>>;

function fastT(lang: Language): TFunction {
  const book = catalogues[lang];
  const slow = fixed[lang];
  return ((key: unknown, options?: unknown) =>
    book.resolve(key, options) ?? slow(key as never, options as never)) as TFunction;
}

const fast = { en: fastT('en'), 'zh-CN': fastT('zh-CN') };

/**
 * A record named in a message (`{{name}}`: a course in a clash, a school just saved) may come with its
 * English name as `name_en`; English texts then show that one, so no message has to know the language.
 */
function withEnglishNames(t: TFunction): TFunction {
  return ((key: string | string[], options?: unknown) => {
    const params = options as Record<string, unknown> | undefined;
    const named =
      params && typeof params.name_en === 'string' && params.name_en ? { ...params, name: params.name_en } : params;
    return t(key, named as never);
  }) as unknown as TFunction;
}

const englishNames = withEnglishNames(fast.en);

export function translator(lang: Language): TFunction {
  return lang === 'en' ? englishNames : fast[lang];
}

/** i18next's own t(), with no prepared lookup in front: what the fast path is compared with in tests. */
export function i18nextTranslator(lang: Language): TFunction {
  return lang === 'en' ? withEnglishNames(fixed.en) : fixed[lang];
}

export function asLanguage(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  return undefined;
}

export const locales = { en, 'zh-CN': zhCN } as const;

/** Whether a text is kept under `key` (both locales keep the same keys: tests/unit/i18n.test.ts). */
export function hasText(key: string): boolean {
  let node: string | Tree | undefined = en;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string';
}
