// Cells as the forms' fields take them: text as typed, a workbook's numbers as the digits they show, its
// dates (a date cell, a serial number, or text such as 2005/4/1) as YYYY-MM-DD; and header names folded
// so that "Student No.", "student_no" and full-width "ＳＴＵＤＥＮＴ＿ＮＯ" name the same column.
import type { Cell } from './import-file';

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as the calendar day it shows (workbook dates are UTC midnights). */
function dayOf(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The text a cell shows, as a form field would receive it ('' for an empty cell). */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : dayOf(cell);
  // Whole numbers in full (no exponent up to 2^53); fractions as JavaScript writes them (85.5).
  return Number.isInteger(cell) && Math.abs(cell) < Number.MAX_SAFE_INTEGER ? cell.toFixed(0) : String(cell);
}

/** Days between Excel's day 0 (1899-12-30, past its phantom 1900-02-29) and 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25569;
const DAY_MS = 86_400_000;
/** The last serial Excel shows as a date (9999-12-31). */
const MAX_SERIAL = 2_958_465;

/** A workbook's date serial number (the 1900 date system) as YYYY-MM-DD; undefined if none. */
export function serialToDay(serial: number): string | undefined {
  // Serials before 61 fall before Excel's phantom 1900-02-29; no date of birth or year is there.
  if (!Number.isFinite(serial) || serial < 61 || serial > MAX_SERIAL) return undefined;
  return dayOf(new Date((Math.floor(serial) - EXCEL_EPOCH_OFFSET) * DAY_MS));
}

const DAY_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$/;

/**
 * A date field's value: a date cell or serial number as its day; text as YYYY-MM-DD, YYYY/M/D, YYYY.M.D
 * or 2005年4月1日 (with a midnight time, as Excel's own CSV writes a date cell), zero-padded. Anything else
 * is returned as typed, for the form's own date check to name.
 */
export function dayText(cell: Cell | undefined): string {
  if (typeof cell === 'number') return serialToDay(cell) ?? cellText(cell);
  const text = cellText(cell).trim().normalize('NFKC');
  const m = DAY_TEXT.exec(text);
  return m ? `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` : cellText(cell);
}

/** What Excel makes of a long number it was given (2.025E+09): the digits are gone. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;

/**
 * Whether a student-number cell is one that a workbook turned into a number: a numeric cell (leading
 * zeros lost, long numbers rounded or shown as 2.025E+09) or text in scientific notation (such a cell
 * saved as CSV). Either way the number the registry gave is no longer certain.
 */
export function isNumberMangled(cell: Cell | undefined): boolean {
  if (typeof cell === 'number') return true;
  return typeof cell === 'string' && SCIENTIFIC.test(cell.trim());
}

/** A header or a choice folded for comparison: NFKC (full-width letters), lower case, letters and digits only. */
export function foldKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
