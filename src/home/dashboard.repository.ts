// The staff dashboard's figures. Every grouped column is in GROUP BY (MySQL 5.7's ONLY_FULL_GROUP_BY).
import type { Knex } from 'knex';

export interface DepartmentCount {
  id: number;
  code: string;
  name: string;
  name_en: string | null;
  students: number;
}

export interface SectionFill {
  id: number;
  section_no: string;
  course_code: string;
  course_name: string;
  course_name_en: string | null;
  capacity: number;
  enrolled: number;
  waitlisted: number;
  fill: number;
}

export interface CurrentTermFill {
  term: { id: number; code: string; name: string; academic_year: string; semester: number } | null;
  sections: number;
  seats: number;
  enrolled: number;
  fullest: SectionFill[];
}

export class DashboardRepository {
  constructor(private readonly db: Knex) {}

  /** Students (not archived) by the department of their class's major; those without a class apart. */
  async studentsByDepartment(trx: Knex = this.db): Promise<{ departments: DepartmentCount[]; withoutClass: number }> {
    // Counted per class first, from the (deleted_at, class_id) index alone; only the hundred-odd class
    // totals are then joined to their majors and schools.
    const perClass = trx('students')
      .whereNull('deleted_at')
      .whereNotNull('class_id')
      .groupBy('class_id')
      .select('class_id')
      .count({ n: '*' })
      .as('x');
    const rows = await trx
      .from(perClass)
      .join('classes as c', 'c.id', 'x.class_id')
      .join('majors as m', 'm.id', 'c.major_id')
      .join('departments as d', 'd.id', 'm.department_id')
      .groupBy('d.id', 'd.code', 'd.name', 'd.name_en')
      .select('d.id', 'd.code', 'd.name', 'd.name_en')
      .sum<{ id: number; code: string; name: string; name_en: string | null; n: number | string }[]>({ n: 'x.n' })
      .orderBy([
        { column: 'n', order: 'desc' },
        { column: 'd.code', order: 'asc' },
      ]);
    const none = await trx('students')
      .whereNull('deleted_at')
      .whereNull('class_id')
      .count<{ n: number | string }[]>({ n: '*' })
      .first();
    return {
      departments: rows.map((r) => ({
        id: Number(r.id),
        code: r.code,
        name: r.name,
        name_en: r.name_en ?? null,
        students: Number(r.n),
      })),
      withoutClass: Number(none?.n ?? 0),
    };
  }

  /** The term's seats and its `limit` fullest sections. */
  async termFill(
    term: NonNullable<CurrentTermFill['term']>,
    limit: number,
    trx: Knex = this.db,
  ): Promise<CurrentTermFill> {
    const totals = await trx('sections')
      .where({ term_id: term.id })
      .whereNull('deleted_at')
      .first(
        trx.raw('count(*) as sections'),
        trx.raw('coalesce(sum(capacity), 0) as seats'),
        trx.raw('coalesce(sum(enrolled_count), 0) as enrolled'),
      );
    // `* 1.0`: SQLite divides integers as integers.
    const fill = 'case when sec.capacity > 0 then sec.enrolled_count * 1.0 / sec.capacity else 0 end';
    const rows = await trx('sections as sec')
      .join('courses as co', 'co.id', 'sec.course_id')
      .where('sec.term_id', term.id)
      .whereNull('sec.deleted_at')
      .select(
        'sec.id',
        'sec.section_no',
        'co.code as course_code',
        'co.name as course_name',
        'co.name_en as course_name_en',
        'sec.capacity',
        'sec.enrolled_count as enrolled',
        trx.raw(`${fill} as fill`),
        trx.raw(
          "(select count(*) from enrolments e where e.section_id = sec.id and e.status = 'waitlisted') as waitlisted",
        ),
      )
      .orderByRaw(`${fill} desc`)
      .orderBy('sec.enrolled_count', 'desc')
      .orderBy('sec.id', 'asc')
      .limit(limit);
    return {
      term: {
        id: Number(term.id),
        code: term.code,
        name: term.name,
        academic_year: term.academic_year,
        semester: Number(term.semester),
      },
      sections: Number(totals?.sections ?? 0),
      seats: Number(totals?.seats ?? 0),
      enrolled: Number(totals?.enrolled ?? 0),
      fullest: rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        section_no: String(r.section_no),
        course_code: String(r.course_code),
        course_name: String(r.course_name),
        course_name_en: (r.course_name_en as string | null | undefined) ?? null,
        capacity: Number(r.capacity),
        enrolled: Number(r.enrolled),
        waitlisted: Number(r.waitlisted),
        fill: Number(r.fill),
      })),
    };
  }
}
