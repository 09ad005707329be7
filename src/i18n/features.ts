// Locale files of feature modules, merged over the core files (locales/en.json, locales/zh-CN.json).
// A feature adds its pair here: `import x from './locales/<feature>.en.json'` and the zh-CN twin.
import organisationEn from './locales/organisation.en.json';
import organisationZhCN from './locales/organisation.zh-CN.json';
import termsEn from './locales/terms.en.json';
import termsZhCN from './locales/terms.zh-CN.json';
import enrolmentsEn from './locales/enrolments.en.json';
import enrolmentsZhCN from './locales/enrolments.zh-CN.json';
import catalogueEn from './locales/catalogue.en.json';
import catalogueZhCN from './locales/catalogue.zh-CN.json';
import gradesEn from './locales/grades.en.json';
import gradesZhCN from './locales/grades.zh-CN.json';

import adminEn from './locales/admin.en.json';
import adminZhCN from './locales/admin.zh-CN.json';
import listsEn from './locales/lists.en.json';
import listsZhCN from './locales/lists.zh-CN.json';
import namesEn from './locales/names.en.json';
import namesZhCN from './locales/names.zh-CN.json';
import jobsEn from './locales/jobs.en.json';
import jobsZhCN from './locales/jobs.zh-CN.json';
import importsEn from './locales/imports.en.json';
import importsZhCN from './locales/imports.zh-CN.json';

export const FEATURE_LOCALES: { en: object[]; 'zh-CN': object[] } = {
  en: [adminEn, organisationEn, termsEn, catalogueEn, enrolmentsEn, gradesEn, listsEn, namesEn, jobsEn, importsEn],
  'zh-CN': [
    adminZhCN,
    organisationZhCN,
    termsZhCN,
    catalogueZhCN,
    enrolmentsZhCN,
    gradesZhCN,
    listsZhCN,
    namesZhCN,
    jobsZhCN,
    importsZhCN,
  ],
};
