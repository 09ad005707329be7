import type { TFunction } from 'i18next';
import type { CurrentUser } from '../auth/auth.types';
import type { Language } from '../i18n/i18n';

declare global {
  namespace Express {
    interface Request {
      user?: CurrentUser;
      lang: Language;
      t: TFunction;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    lang?: Language;
    returnTo?: string;
    flash?: { type: 'success' | 'error' | 'info'; key: string; params?: Record<string, string> }[];
  }
}

export {};
