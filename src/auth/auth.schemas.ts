import { z } from 'zod';

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
