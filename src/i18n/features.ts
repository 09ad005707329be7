// Locale files of feature modules, merged over the core files (locales/en.json, locales/zh-CN.json).
// A feature adds its pair here: `import x from './locales/<feature>.en.json'` and the zh-CN twin.
export const FEATURE_LOCALES: { en: object[]; 'zh-CN': object[] } = {
  en: [],
  'zh-CN': [],
};
