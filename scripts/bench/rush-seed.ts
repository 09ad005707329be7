// The rush's university: a term of its own made current with its selection window open now, sections of
// which some are oversubscribed three to one (capacity a third of the planned demand) and the rest roomy,
// and one student account per rush student. Their argon2id hash is computed once and shared: hashing
// 3,000 passwords would take minutes of CPU, and the sign-ins still verify each one in full.
import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords';
import { sqlNow } from '../../src/lib/time';
import { random } from '../../seeds/random';
import type { RushKnobs } from './knobs';

const BATCH = 500;
const BLOCKS: [number, number][] = [
  [1, 2],
  [3, 4],
  [6, 7],
  [8, 9],
  [10, 11],
];
const SLOTS = 5 * BLOCKS.length; // Monday to Friday
export const RUSH_TERM_CODE = 'BENCH-RUSH';

export interface RushSection {
  id: number;
  hot: boolean;
  capacity: number;
  demand: number;
  slot: number;
}

export interface RushStudent {
  username: string;
  studentId: number;
  /** Section ids this student tries, in order; never two at the same time of the week. */
  picks: number[];
}

export interface RushPlan {
  termId: number;
  sections: RushSection[];
  students: RushStudent[];
  password: string;
}

async function insertBatched(db: Knex, table: string, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await db(table).insert(rows.slice(i, i + BATCH));
}

/** Which sections each student tries: one or two hot ones, the rest roomy, at distinct times. */
export function planPicks(students: number, sections: { hot: boolean; slot: number }[], seed: number): number[][] {
  const rand = random(seed);
  const hot = sections.map((s, i) => (s.hot ? i : -1)).filter((i) => i >= 0);
  const cold = sections.map((s, i) => (s.hot ? -1 : i)).filter((i) => i >= 0);
  const plans: number[][] = [];
  for (let n = 0; n < students; n++) {
    const wanted = 3 + Math.floor(rand() * 2);
    const hotWanted = hot.length === 0 ? 0 : Math.min(wanted, 1 + Math.floor(rand() * 2));
    const picks: number[] = [];
    const busy = new Set<number>();
    const take = (pool: number[], count: number) => {
      for (let attempt = 0; attempt < 50 && count > 0; attempt++) {
        const i = pool[Math.floor(rand() * pool.length)]!;
        if (picks.includes(i) || busy.has(sections[i]!.slot)) continue;
        picks.push(i);
        busy.add(sections[i]!.slot);
        count--;
      }
    };
    take(hot, hotWanted);
    take(cold, wanted - picks.length);
    plans.push(picks);
  }
  return plans;
}

export async function seedRush(db: Knex, knobs: RushKnobs, password: string): Promise<RushPlan> {
  const now = sqlNow();
  const stamps = { created_at: now, updated_at: now };
  const students: { id: number }[] = await db('students as s')
    .leftJoin('users as u', 'u.student_id', 's.id')
    .whereNull('s.deleted_at')
    .where('s.status', 'enrolled')
    .whereNull('u.id')
    .orderBy('s.id')
    .limit(knobs.students)
    .select('s.id');
  if (students.length < knobs.students)
    throw new Error(`the rush needs ${knobs.students} enrolled students; the database has ${students.length}`);

  const sectionCount = knobs.sections;
  const hotCount = Math.min(knobs.hotSections, sectionCount);
  const shape = Array.from({ length: sectionCount }, (_, i) => ({ hot: i < hotCount, slot: i % SLOTS }));
  const plans = planPicks(students.length, shape, 20_261_203);
  const demand = shape.map(() => 0);
  for (const plan of plans) for (const i of plan) demand[i]!++;
  // Hot: a third of the demand gets a seat; roomy: every planned student fits, with room to spare.
  const capacityOf = (i: number) =>
    shape[i]!.hot ? Math.max(1, Math.ceil(demand[i]! / 3)) : demand[i]! + Math.ceil(demand[i]! / 4) + 5;

  const department = await db('departments').orderBy('id').first('id');
  const teacher = await db('staff').orderBy('id').first('id');
  const day = 86_400_000;
  const today = new Date();
  return db.transaction(async (trx) => {
    await trx('terms').where({ current_marker: 1 }).update({ current_marker: null });
    const term = {
      code: RUSH_TERM_CODE,
      academic_year: `${today.getUTCFullYear()}-${today.getUTCFullYear() + 1}`,
      semester: 3,
      name: '选课压力测试学期 (benchmark rush)',
      current_marker: 1,
      starts_on: sqlNow(today.getTime() + 30 * day).slice(0, 10),
      ends_on: sqlNow(today.getTime() + 150 * day).slice(0, 10),
      selection_opens_at: sqlNow(today.getTime() - 60_000),
      selection_closes_at: sqlNow(today.getTime() + day),
      ...stamps,
    };
    const [termId] = await trx('terms').insert(term);

    const courses = shape.map((s, i) => ({
      code: `BR${String(i + 1).padStart(3, '0')}`,
      name: `${s.hot ? '热门' : '选修'}课程 ${i + 1}`,
      name_en: `${s.hot ? 'Popular' : 'Elective'} course ${i + 1}`,
      credits: 2,
      department_id: department?.id ?? null,
      grading: 'score',
      ...stamps,
    }));
    await insertBatched(trx, 'courses', courses);
    const courseIds = new Map<string, number>(
      (await trx('courses').where('code', 'like', 'BR%').select('id', 'code')).map(
        (r: { id: number; code: string }) => [r.code, Number(r.id)],
      ),
    );
    await insertBatched(
      trx,
      'sections',
      shape.map((_, i) => ({
        course_id: courseIds.get(courses[i]!.code),
        term_id: termId,
        section_no: '01',
        teacher_staff_id: teacher?.id ?? null,
        capacity: capacityOf(i),
        enrolled_count: 0,
        room: `压测楼-${101 + i}`,
        status: 'open',
        ...stamps,
      })),
    );
    const sectionIdOf = new Map<number, number>(
      (await trx('sections').where({ term_id: termId }).select('id', 'course_id')).map(
        (r: { id: number; course_id: number }) => [Number(r.course_id), Number(r.id)],
      ),
    );
    const sections: RushSection[] = shape.map((s, i) => ({
      id: sectionIdOf.get(courseIds.get(courses[i]!.code)!)!,
      hot: s.hot,
      capacity: capacityOf(i),
      demand: demand[i]!,
      slot: s.slot,
    }));
    await insertBatched(
      trx,
      'section_meetings',
      sections.map((s) => ({
        section_id: s.id,
        day_of_week: 1 + Math.floor(s.slot / BLOCKS.length),
        start_period: BLOCKS[s.slot % BLOCKS.length]![0],
        end_period: BLOCKS[s.slot % BLOCKS.length]![1],
      })),
    );

    const hash = await hashPassword(password);
    const rush: RushStudent[] = students.map((s, n) => ({
      username: `rush${String(n + 1).padStart(5, '0')}`,
      studentId: Number(s.id),
      picks: plans[n]!.map((i) => sections[i]!.id),
    }));
    await insertBatched(
      trx,
      'users',
      rush.map((r) => ({
        username: r.username,
        role: 'student',
        password_hash: hash,
        student_id: r.studentId,
        active: true,
        must_change_password: false,
        ...stamps,
      })),
    );
    return { termId: Number(termId), sections, students: rush, password };
  });
}
