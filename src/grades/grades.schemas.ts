// Reading a grade grid from a form (flat `score[<enrolmentId>]` keys) or JSON (`grades: [...]`), one cell
// at a time, so every bad cell can be named by its own field.
import { hasControlChars } from '../lib/schema-helpers';
import type { Grading, GradeValues } from './grades.repository';

export interface RawCell {
  score?: unknown;
  passed?: unknown;
  version?: unknown;
}

const CELL_KEY = /^(score|passed|version)\[(\d{1,10})\]$/;
const SCORE_TEXT = /^\d{1,3}(\.\d)?$/;

export const cellField = (kind: 'score' | 'passed' | 'version', enrolmentId: number) => `${kind}[${enrolmentId}]`;

/** Cells by enrolment id; keys that are not cells (`_csrf`, `_idem`, anything else) are left out. */
export function readCells(body: unknown): Map<number, RawCell> {
  const cells = new Map<number, RawCell>();
  const source = (body ?? {}) as Record<string, unknown>;
  const cell = (id: number) => {
    let found = cells.get(id);
    if (!found) cells.set(id, (found = {}));
    return found;
  };
  for (const [key, value] of Object.entries(source)) {
    const match = CELL_KEY.exec(key);
    if (match) cell(Number(match[2]))[match[1] as keyof RawCell] = value;
  }
  if (Array.isArray(source.grades)) {
    for (const item of source.grades as Record<string, unknown>[]) {
      const id = Number(item?.enrolment_id);
      if (!Number.isInteger(id) || id <= 0) continue;
      const target = cell(id);
      for (const name of ['score', 'passed', 'version'] as const) if (name in item) target[name] = item[name];
    }
  }
  return cells;
}

/** The entered strings, kept to be shown again in a refused form (never the body as a whole). */
export function enteredCells(body: unknown): Record<'score' | 'passed' | 'version', Record<string, string>> {
  const entered = { score: {}, passed: {}, version: {} } as Record<
    'score' | 'passed' | 'version',
    Record<string, string>
  >;
  for (const [id, cell] of readCells(body)) {
    for (const name of ['score', 'passed', 'version'] as const) {
      const value = cell[name];
      if (typeof value === 'string' || typeof value === 'number') entered[name][id] = String(value);
      else if (typeof value === 'boolean') entered[name][id] = value ? 'pass' : 'fail';
    }
  }
  return entered;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseScore(raw: unknown): Parsed<number | null> {
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return { ok: true, value: null };
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!SCORE_TEXT.test(text) || Number(text) > 100) return { ok: false, error: 'grades.validation.score' };
  return { ok: true, value: Number(text) };
}

export function parsePassed(raw: unknown): Parsed<boolean | null> {
  if (raw === null || raw === '') return { ok: true, value: null };
  if (raw === true || raw === 'pass') return { ok: true, value: true };
  if (raw === false || raw === 'fail') return { ok: true, value: false };
  return { ok: false, error: 'grades.validation.passed' };
}

/** A missing version means "there was no grade yet" (0); a grade saved since then makes it stale. */
export function parseVersion(raw: unknown): Parsed<number> {
  if (raw === undefined || raw === '') return { ok: true, value: 0 };
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2_147_483_647)
    return { ok: false, error: 'grades.validation.version' };
  return { ok: true, value: Number(text) };
}

/**
 * The values of one cell for a course graded `grading`, or the field errors of that cell. A cell that
 * carries no value for this kind of course (only a version) is not submitted: `values` is undefined.
 */
export function parseCell(
  enrolmentId: number,
  cell: RawCell,
  grading: Grading,
): { values?: GradeValues; version: number; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const version = parseVersion(cell.version);
  if (!version.ok) errors[cellField('version', enrolmentId)] = version.error;
  let values: GradeValues | undefined;
  if (grading === 'score') {
    if (cell.passed !== undefined) errors[cellField('passed', enrolmentId)] = 'grades.validation.score_course';
    if (cell.score !== undefined) {
      const score = parseScore(cell.score);
      if (score.ok) values = { score: score.value, passed: null };
      else errors[cellField('score', enrolmentId)] = score.error;
    }
  } else {
    if (cell.score !== undefined) errors[cellField('score', enrolmentId)] = 'grades.validation.pass_fail_course';
    if (cell.passed !== undefined) {
      const passed = parsePassed(cell.passed);
      if (passed.ok) values = { score: null, passed: passed.value };
      else errors[cellField('passed', enrolmentId)] = passed.error;
    }
  }
  return { values, version: version.ok ? version.value : 0, errors };
}

export const REASON_MIN = 5;
export const REASON_MAX = 500;

/**
 * The reason an administrator gives for reopening published grades, trimmed; counted in characters as a
 * reader sees them (a Chinese character is one), so 5 to 500 means the same in either language.
 */
export function parseReopenReason(body: unknown): Parsed<string> {
  const raw = (body as Record<string, unknown> | undefined)?.reason;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return { ok: false, error: 'grades.reopen.reason_required' };
  if (hasControlChars(text, { multiline: true })) return { ok: false, error: 'validation.control_chars' };
  const length = [...text].length;
  if (length < REASON_MIN || length > REASON_MAX) return { ok: false, error: 'grades.reopen.reason_length' };
  return { ok: true, value: text };
}
