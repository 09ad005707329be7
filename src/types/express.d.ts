import type { TFunction } from 'i18next';
import type { CurrentUser } from '../users/users.types';
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
    /** The account's session_version at sign-in (users.repository.ts); absent in older sessions: 0. */
    sessionVersion?: number;
    /** When this sign-in began (ms since the epoch): the absolute session lifetime counts from it. */
    signedInAt?: number;
    lang?: Language;
    flash?: {
      type: 'success' | 'error' | 'info';
      key: string;
      params?: Record<string, string>;
      /** One per item the message is about (middleware/flash.ts): a text, and a reason put into it as {{reason}}. */
      lines?: {
        key: string;
        params?: Record<string, string>;
        reason?: { key: string; params?: Record<string, string> };
      }[];
    }[];
  }
}

export {};
