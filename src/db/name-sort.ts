// The order people expect names in: Chinese names by their pinyin (surnames read as surnames: 单 shan,
// 曾 zeng), syllable by syllable with the tone as the tie-break (wang1 汪 before wang2 王), other names
// by their letters, case-insensitive. Kept with the row (students.name_sort) so that MySQL and SQLite
// sort alike, through an index, with a byte-exact comparison.
import { pinyin } from 'pinyin-pro';

/** Longest key kept: enough to order names by their first thirty-odd characters. */
export const NAME_SORT_LENGTH = 255;

export function nameSortKey(name: string): string {
  const syllables = pinyin(name.normalize('NFKC').trim(), {
    toneType: 'num',
    type: 'array',
    nonZh: 'consecutive',
    surname: 'head',
  });
  return syllables
    .map((s) => s.trim().toLowerCase().replace(/ü/g, 'v'))
    .filter((s) => s !== '')
    .join(' ')
    .slice(0, NAME_SORT_LENGTH);
}
