// What the rush must leave behind, checked on the rows the database holds afterwards: no section with
// more seats taken than it has, its counter equal to its seats, every acknowledged seat present, and
// each wait list in the order its places committed.

export interface SectionSeats {
  id: number;
  capacity: number;
  enrolled_count: number;
}

export interface PlaceRow {
  id: number;
  section_id: number;
  student_id: number;
  status: string;
  waitlist_seq: number | null;
}

export interface Placement {
  sectionId: number;
  studentId: number;
}

/** A wait-list place as the student was told it (the 409 section_full answer). */
export interface ToldPosition extends Placement {
  position: number;
}

export interface WaitListCheck {
  sectionsWithWaitList: number;
  waitlisted: number;
  /** Sections whose wait-list numbers (waitlist_seq) are missing, repeated or not in commit order. */
  outOfOrderSections: number;
  duplicateSeqs: number;
  /** Positions the students were told, compared with their place by waitlist_seq. */
  reportedPositions: number;
  reportedMismatches: number;
  inCommitOrder: boolean;
}

export function checkSeats(
  sections: SectionSeats[],
  rows: PlaceRow[],
): { overbookedSeats: number; overbookedSections: number; counterMismatches: number } {
  const result = { overbookedSeats: 0, overbookedSections: 0, counterMismatches: 0 };
  for (const s of sections) {
    const enrolled = rows.filter((r) => r.section_id === s.id && r.status === 'enrolled').length;
    if (enrolled > s.capacity) {
      result.overbookedSections++;
      result.overbookedSeats += enrolled - s.capacity;
    }
    if (enrolled !== s.enrolled_count) result.counterMismatches++;
  }
  return result;
}

/**
 * Within a section every place is written under the section's row lock, so insert (id) order is the
 * order the requests committed in: the wait-list numbers must rise with it, one each. Nobody leaves a
 * list during the rush, so the position a student was told is still their place by number.
 */
export function checkWaitLists(rows: PlaceRow[], told: ToldPosition[]): WaitListCheck {
  const check: WaitListCheck = {
    sectionsWithWaitList: 0,
    waitlisted: 0,
    outOfOrderSections: 0,
    duplicateSeqs: 0,
    reportedPositions: told.length,
    reportedMismatches: 0,
    inCommitOrder: true,
  };
  const bySection = new Map<number, PlaceRow[]>();
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    if (r.status !== 'waitlisted') continue;
    bySection.set(r.section_id, [...(bySection.get(r.section_id) ?? []), r]);
  }
  const positionOf = new Map<string, number>();
  for (const [sectionId, list] of bySection) {
    check.sectionsWithWaitList++;
    check.waitlisted += list.length;
    const seqs = list.map((r) => r.waitlist_seq);
    const numbered = seqs.filter((s): s is number => s !== null && Number.isFinite(s));
    const duplicates = numbered.length - new Set(numbered).size;
    check.duplicateSeqs += duplicates;
    const rising = seqs.every((seq, i) => i === 0 || (seq !== null && seqs[i - 1] !== null && seq > seqs[i - 1]!));
    if (duplicates > 0 || numbered.length < seqs.length || !rising) check.outOfOrderSections++;
    [...list]
      .sort((a, b) => (a.waitlist_seq ?? Infinity) - (b.waitlist_seq ?? Infinity) || a.id - b.id)
      .forEach((r, i) => positionOf.set(`${sectionId}:${r.student_id}`, i + 1));
  }
  for (const t of told) if (positionOf.get(`${t.sectionId}:${t.studentId}`) !== t.position) check.reportedMismatches++;
  check.inCommitOrder = check.outOfOrderSections === 0 && check.reportedMismatches === 0;
  return check;
}

/** Seats a student was told they have (201) that the database does not hold. */
export function missingSeats(rows: PlaceRow[], acknowledged: Placement[]): number {
  const present = new Set(rows.filter((r) => r.status === 'enrolled').map((r) => `${r.section_id}:${r.student_id}`));
  return acknowledged.filter((a) => !present.has(`${a.sectionId}:${a.studentId}`)).length;
}
