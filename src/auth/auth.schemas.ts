import { z } from 'zod';

/**
 * What a username can be at sign-in: ASCII letters, digits and . _ - (accounts are made lower-case, see
 * admin/users.schemas.ts). Checked on the name as typed, before lower-casing: 'K' (the Kelvin sign) and
 * other non-ASCII letters lower-case to ASCII ones and would otherwise reach another account.
 */
export const SIGN_IN_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The one form of a typed username that can match an account (exactly), or undefined for none. */
export function signInName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return SIGN_IN_NAME.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

export const loginSchema = z.object({
  username: z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, { error: 'validation.required' })
    .max(64, { error: 'auth.invalid_credentials' }),
  password: z
    .string({ error: 'validation.required' })
    .min(1, { error: 'validation.required' })
    .max(1024, { error: 'auth.invalid_credentials' }),
});

export const MIN_PASSWORD_LENGTH = 10;

export const changePasswordSchema = z
  .object({
    current_password: z.string({ error: 'validation.required' }).min(1, { error: 'validation.required' }),
    new_password: z
      .string({ error: 'validation.required' })
      .min(MIN_PASSWORD_LENGTH, { error: 'validation.password.too_short' })
      .max(1024, { error: 'validation.too_long' }),
    confirm_password: z.string({ error: 'validation.required' }),
  })
  .refine((v) => v.new_password === v.confirm_password, {
    path: ['confirm_password'],
    error: 'validation.password.mismatch',
  })
  .refine((v) => v.new_password !== v.current_password, {
    path: ['new_password'],
    error: 'validation.password.unchanged',
  });
