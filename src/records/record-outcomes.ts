// The answers of a record's writes, the same for every kind: saved (201 or 200, the record's page and a
// flash naming it), and archive/restore, where doing it twice says so ("already archived") instead of "done".
import type { WriteOutcome } from '../idempotency/idempotent-write';
import type { Toggled } from './record-writes';

/** The record's name for a flash message, with its English name when it has one (see i18n/i18n.ts). */
export const nameParams = (name: string, nameEn?: string | null): Record<string, string> =>
  nameEn ? { name, name_en: nameEn } : { name };

export interface RecordAnswers<View> {
  /** Where the kind's pages live, e.g. '/students'. */
  base: string;
  /** The locale prefix of its flash messages: `<messages>.created`, `.updated`, `.archived`, ... */
  messages: string;
  id: (view: View) => number;
  toJson: (view: View) => unknown;
  /** The flash message's name parameters (nameParams). */
  name: (view: View) => Record<string, string>;
  /** Where an archive leads: the list by default. */
  afterArchive?: (view: View) => string;
}

export function recordOutcomes<View>(answers: RecordAnswers<View>) {
  const { base, messages } = answers;
  const page = (view: View) => `${base}/${answers.id(view)}`;
  const toggled =
    (location: (view: View) => string, done: string, noop: string) =>
    ({ row, changed }: Toggled<View>): WriteOutcome => ({
      status: 200,
      location: location(row),
      body: { data: answers.toJson(row) },
      flash: {
        type: changed ? 'success' : 'info',
        key: `${messages}.${changed ? done : noop}`,
        params: answers.name(row),
      },
    });
  return {
    created: (view: View): WriteOutcome => ({
      status: 201,
      location: page(view),
      body: { data: answers.toJson(view) },
      flash: { type: 'success', key: `${messages}.created`, params: answers.name(view) },
    }),
    updated: (view: View): WriteOutcome => ({
      status: 200,
      location: page(view),
      body: { data: answers.toJson(view) },
      flash: { type: 'success', key: `${messages}.updated`, params: answers.name(view) },
    }),
    archived: toggled(answers.afterArchive ?? (() => base), 'archived', 'already_archived'),
    restored: toggled(page, 'restored', 'not_archived'),
  };
}
