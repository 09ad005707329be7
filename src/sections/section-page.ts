// What the staff section page and its printable roster show, gathered in one place: the section routes
// render it, and the enrolment routes render it again (with the error) when an enrolment is refused.
import type { TFunction } from 'i18next';
import { auditHistory } from '../audit/audit-presenter';
import type { Option } from '../records/records.types';
import type { SectionDetail, SectionsService } from './sections.service';

export interface SectionPageDeps<Roster> {
  sections: SectionsService;
  /** Administrative classes a staff member can enrol as a whole. */
  classOptions: () => Promise<Option[]>;
  /** The section's seats and waiting list (the enrolments feature answers). */
  roster: (sectionId: number) => Promise<Roster>;
}

export interface SectionPages<Roster = unknown> {
  /** Locals of views/sections/show.ejs. */
  /** `t`: the page language's, for the history's action and field names. */
  show: (rawId: unknown, t: TFunction) => Promise<Record<string, unknown>>;
  /** The section with its seats and waiting list, for the printable roster. */
  roster: (rawId: unknown) => Promise<SectionDetail & { roster: Roster }>;
}

export function sectionPages<Roster>(deps: SectionPageDeps<Roster>): SectionPages<Roster> {
  return {
    show: async (rawId, t) => {
      const detail = await deps.sections.get(rawId);
      const id = detail.section.id;
      const [classes, roster, history] = await Promise.all([
        deps.classOptions(),
        deps.roster(id),
        deps.sections.history(id),
      ]);
      return { ...detail, classes, roster, history: auditHistory(history, t), values: {}, errors: {} };
    },
    roster: async (rawId) => {
      const detail = await deps.sections.get(rawId);
      return { ...detail, roster: await deps.roster(detail.section.id) };
    },
  };
}
