// i18next set up once with the bundled locale files; `translator(lang)` gives a fixed-language t().
import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

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

export function translator(lang: Language): TFunction {
  return instance.getFixedT(lang);
}

export function asLanguage(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  return undefined;
}

export const locales = { en, 'zh-CN': zhCN } as const;
