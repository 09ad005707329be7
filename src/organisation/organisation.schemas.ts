// Zod pieces and select choices shared by the organisation records.
import type { Knex } from 'knex';
import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../lib/schema-helpers';
import type { Option } from './records.types';

/** A code of letters, digits and dashes, upper-cased so uniqueness is the same on MySQL and SQLite. */
export const codeField = (max: number, formatKey = 'org.validation.code.format') =>
  requiredText(max)
    .regex(new RegExp(`^[A-Za-z0-9-]{2,${max}}$`), { error: formatKey })
    .transform((s) => s.toUpperCase());

export const requiredId = optionalId.refine((v) => v !== null, { error: 'validation.required' });

export const optionalEmail = optionalText(254).refine((v) => v === null || z.email().safeParse(v).success, {
  error: 'validation.email',
});

export const optionalPhone = optionalText(32).refine((v) => v === null || /^\+?[0-9][0-9 -]{5,30}$/.test(v), {
  error: 'validation.phone',
});

/** Tables that keep an official English name beside the Chinese one. */
const WITH_ENGLISH_NAME = new Set(['departments', 'majors', 'courses']);

/** Active rows of a table as select choices, "CODE Name" (and "CODE English name" where one is kept). */
export async function activeOptions(db: Knex, table: string, codeColumn: string): Promise<Option[]> {
  const english = WITH_ENGLISH_NAME.has(table);
  const rows = await db(table)
    .whereNull('deleted_at')
    .orderBy(codeColumn)
    .limit(2000)
    .select<{ id: number; code: string; name: string; name_en?: string | null }[]>(
      'id',
      { code: codeColumn },
      'name',
      ...(english ? ['name_en'] : []),
    );
  return rows.map((r) => ({
    value: r.id,
    label: `${r.code} ${r.name}`,
    ...(r.name_en ? { label_en: `${r.code} ${r.name_en}` } : {}),
  }));
}
