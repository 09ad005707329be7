// Runs a zod schema and turns its issues into a ValidationError of field -> locale key.
import type { z } from 'zod';
import { type FieldErrors, ValidationError } from './errors';

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ValidationError(fieldErrorsOf(result.error.issues));
}

/** A schema's issues as field -> locale key, as every form shows them (an import names them by row too). */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const name = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    // The first problem of a field is the one worth telling.
    fields[name] ??= issue.message.includes('.') ? issue.message : 'validation.invalid';
  }
  return fields;
}

/** Runs a parse, folding its field errors into `into`, so one response names every bad field. */
export function collectFieldErrors<T>(parse: () => T, into: FieldErrors): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    Object.assign(into, err.fields);
    return undefined;
  }
}
