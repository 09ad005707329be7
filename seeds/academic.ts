// The demo university on top of the demo students: departments, majors, classes, staff, courses, a past
// term with grades and a current term with an open selection window, sections, meetings and enrolments.
// Deterministic (seeded random), batched, and bounded: only the first students take courses, so a seed of
// 100,000 students stays fast.
import type { Knex } from 'knex';
import { sqlNow } from '../src/lib/time';
import { normaliseSectionNo } from '../src/sections/sections.schemas';
import { CHINESE_FAMILY, CHINESE_GIVEN } from './names';
import { pick, random } from './random';

const BATCH = 400; // SQLite's compound-SELECT limit; small enough for MySQL too
export const ENROLLING_STUDENTS = 2_000;
/** The size of a demo class (an administrative class of a major and entry year). */
export const CLASS_SIZE = { min: 30, max: 40 } as const;
const WAITLIST_LIMIT = 12;

interface MajorDef {
  code: string;
  name: string;
  name_en: string;
  short: string;
}
interface DepartmentDef {
  code: string;
  name: string;
  name_en: string;
  weight: number; // share of students
  majors: MajorDef[];
}

const DEPARTMENTS: DepartmentDef[] = [
  {
    code: 'CS',
    name: '计算机科学与技术学院',
    name_en: 'School of Computer Science and Technology',
    weight: 3,
    majors: [
      { code: 'CS01', name: '计算机科学与技术', name_en: 'Computer Science and Technology', short: '计科' },
      { code: 'SE01', name: '软件工程', name_en: 'Software Engineering', short: '软工' },
      { code: 'AI01', name: '人工智能', name_en: 'Artificial Intelligence', short: '智能' },
    ],
  },
  {
    code: 'EM',
    name: '经济管理学院',
    name_en: 'School of Economics and Management',
    weight: 2,
    majors: [
      { code: 'EC01', name: '经济学', name_en: 'Economics', short: '经济' },
      { code: 'FM01', name: '金融学', name_en: 'Finance', short: '金融' },
      { code: 'BA01', name: '工商管理', name_en: 'Business Administration', short: '工管' },
    ],
  },
  {
    code: 'FL',
    name: '外国语学院',
    name_en: 'School of Foreign Languages',
    weight: 1,
    majors: [
      { code: 'EN01', name: '英语', name_en: 'English', short: '英语' },
      { code: 'JP01', name: '日语', name_en: 'Japanese', short: '日语' },
    ],
  },
  {
    code: 'MS',
    name: '数学与统计学院',
    name_en: 'School of Mathematics and Statistics',
    weight: 1,
    majors: [
      { code: 'MA01', name: '数学与应用数学', name_en: 'Mathematics and Applied Mathematics', short: '数学' },
      { code: 'ST01', name: '统计学', name_en: 'Statistics', short: '统计' },
    ],
  },
  {
    code: 'PE',
    name: '物理与电子工程学院',
    name_en: 'School of Physics and Electronic Engineering',
    weight: 1,
    majors: [
      { code: 'PH01', name: '物理学', name_en: 'Physics', short: '物理' },
      { code: 'EE01', name: '电子信息工程', name_en: 'Electronic Information Engineering', short: '电信' },
    ],
  },
];

const TITLES = ['教授', '副教授', '副教授', '讲师', '讲师'];

/** code, name, credits, department code (null: university-wide), grading, popularity weight */
type CourseDef = [string, string, number, string | null, 'score' | 'pass_fail', number];
const COURSES: CourseDef[] = [
  ['CS101', '程序设计基础', 4, 'CS', 'score', 3],
  ['CS201', '数据结构', 4, 'CS', 'score', 3],
  ['CS202', '计算机组成原理', 3.5, 'CS', 'score', 2],
  ['CS301', '操作系统', 3.5, 'CS', 'score', 2],
  ['CS302', '计算机网络', 3, 'CS', 'score', 2],
  ['CS303', '数据库系统', 3, 'CS', 'score', 3],
  ['CS304', '软件工程导论', 2.5, 'CS', 'score', 1],
  ['CS401', '机器学习', 3, 'CS', 'score', 5],
  ['EC101', '微观经济学', 3, 'EM', 'score', 2],
  ['EC102', '宏观经济学', 3, 'EM', 'score', 2],
  ['EC201', '计量经济学', 3, 'EM', 'score', 1],
  ['FM201', '公司金融', 2.5, 'EM', 'score', 2],
  ['BA101', '管理学原理', 2, 'EM', 'score', 2],
  ['BA201', '市场营销', 2, 'EM', 'score', 1],
  ['EN101', '大学英语（一）', 2, 'FL', 'score', 3],
  ['EN102', '大学英语（二）', 2, 'FL', 'score', 3],
  ['EN201', '英语写作', 2, 'FL', 'score', 1],
  ['JP101', '基础日语', 3, 'FL', 'score', 4],
  ['MA101', '高等数学 A（一）', 5, 'MS', 'score', 3],
  ['MA102', '高等数学 A（二）', 5, 'MS', 'score', 3],
  ['MA201', '线性代数', 3, 'MS', 'score', 3],
  ['ST201', '概率论与数理统计', 3, 'MS', 'score', 2],
  ['ST301', '数理统计', 3, 'MS', 'score', 1],
  ['PH101', '大学物理（一）', 4, 'PE', 'score', 2],
  ['EE201', '电路分析', 3.5, 'PE', 'score', 1],
  ['GE101', '创新创业基础', 1, null, 'pass_fail', 2],
  ['PE101', '体育（一）', 1, null, 'pass_fail', 4],
];
/** The courses' official English names, as a transcript prints them. */
const COURSE_NAMES_EN: Record<string, string> = {
  CS101: 'Fundamentals of Programming',
  CS201: 'Data Structures',
  CS202: 'Principles of Computer Organization',
  CS301: 'Operating Systems',
  CS302: 'Computer Networks',
  CS303: 'Database Systems',
  CS304: 'Introduction to Software Engineering',
  CS401: 'Machine Learning',
  EC101: 'Microeconomics',
  EC102: 'Macroeconomics',
  EC201: 'Econometrics',
  FM201: 'Corporate Finance',
  BA101: 'Principles of Management',
  BA201: 'Marketing',
  EN101: 'College English I',
  EN102: 'College English II',
  EN201: 'English Writing',
  JP101: 'Basic Japanese',
  MA101: 'Advanced Mathematics A I',
  MA102: 'Advanced Mathematics A II',
  MA201: 'Linear Algebra',
  ST201: 'Probability Theory and Mathematical Statistics',
  ST301: 'Mathematical Statistics',
  PH101: 'College Physics I',
  EE201: 'Circuit Analysis',
  GE101: 'Fundamentals of Innovation and Entrepreneurship',
  PE101: 'Physical Education I',
};
const DESCRIPTIONS: Record<string, string> = {
  CS101: '以 C 语言为载体，讲授程序设计的基本概念、算法思想与调试方法。',
  CS201: '线性表、树、图等基本数据结构及其算法分析。',
  CS401: '监督学习、无监督学习与模型评估的基本方法，含课程实验。',
  MA101: '一元函数微积分、极限与级数。',
  EN101: '大学英语读写译综合训练。',
};

/** Class periods as blocks of a day: 1-2, 3-4 (morning), 6-7, 8-9 (afternoon), 10-11 (evening). */
const BLOCKS: [number, number][] = [
  [1, 2],
  [3, 4],
  [6, 7],
  [8, 9],
  [10, 11],
];
const SLOTS_PER_DAY = BLOCKS.length;

export interface AcademicSummary {
  departments: number;
  majors: number;
  classes: number;
  staff: number;
  courses: number;
  sections: number;
  enrolments: number;
  grades: number;
}

async function insertBatched(trx: Knex, table: string, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await trx(table).insert(rows.slice(i, i + BATCH));
}

async function isEmpty(db: Knex): Promise<boolean> {
  for (const table of ['departments', 'terms', 'courses']) {
    const row = await db(table).count<{ n: number | string }[]>({ n: '*' }).first();
    if (Number(row?.n ?? 0) > 0) return false;
  }
  return true;
}

/** The current term and the one before it, from today's date: autumn (…-1) from August, spring (…-2) from February. */
export function demoTerms(now: Date) {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  const autumn = (y: number) => ({
    code: `${y}-${y + 1}-1`,
    academic_year: `${y}-${y + 1}`,
    semester: 1,
    name: `${y}-${y + 1} 学年第一学期`,
    starts_on: `${y}-09-01`,
    ends_on: `${y + 1}-01-16`,
  });
  const spring = (y: number) => ({
    code: `${y}-${y + 1}-2`,
    academic_year: `${y}-${y + 1}`,
    semester: 2,
    name: `${y}-${y + 1} 学年第二学期`,
    starts_on: `${y + 1}-02-23`,
    ends_on: `${y + 1}-07-03`,
  });
  if (month >= 8) return { past: spring(year - 1), current: autumn(year) };
  if (month === 1) return { past: spring(year - 2), current: autumn(year - 1) };
  return { past: autumn(year - 1), current: spring(year - 1) };
}

const timestamps = (now: string) => ({ created_at: now, updated_at: now });

/** Seeds the university when its tables are empty; returns what it made, or null when there was something. */
export async function seedAcademic(db: Knex, options: { now?: Date } = {}): Promise<AcademicSummary | null> {
  if (!(await isEmpty(db))) return null;
  const clock = options.now ?? new Date();
  const now = sqlNow(clock);
  const rand = random(20_261_126);

  return db.transaction(async (trx) => {
    // Departments and majors.
    await trx('departments').insert(
      DEPARTMENTS.map((d) => ({ code: d.code, name: d.name, name_en: d.name_en, ...timestamps(now) })),
    );
    const departmentIds = new Map<string, number>(
      (await trx('departments').select('id', 'code')).map((r: { id: number; code: string }) => [r.code, Number(r.id)]),
    );
    await trx('majors').insert(
      DEPARTMENTS.flatMap((d) =>
        d.majors.map((m) => ({
          department_id: departmentIds.get(d.code),
          code: m.code,
          name: m.name,
          name_en: m.name_en,
          ...timestamps(now),
        })),
      ),
    );
    const majorIds = new Map<string, number>(
      (await trx('majors').select('id', 'code')).map((r: { id: number; code: string }) => [r.code, Number(r.id)]),
    );

    // Staff: four per department, the first with the demo `staff` account.
    const staffRows = DEPARTMENTS.flatMap((d, di) =>
      [0, 1, 2, 3].map((k) => {
        const n = di * 4 + k + 1;
        const name = pick(rand, CHINESE_FAMILY) + pick(rand, CHINESE_GIVEN);
        return {
          staff_no: `T${String(2000 + n)}`,
          name,
          department_id: departmentIds.get(d.code),
          title: k === 0 ? '教授' : pick(rand, TITLES),
          email: `t${2000 + n}@staff.example.edu`,
          phone: `010-6275${String(1000 + n * 7).slice(-4)}`,
          ...timestamps(now),
        };
      }),
    );
    await insertBatched(trx, 'staff', staffRows);
    const staff: { id: number; department_id: number }[] = (
      await trx('staff').orderBy('id').select('id', 'department_id')
    ).map((r: { id: number; department_id: number }) => ({ id: Number(r.id), department_id: Number(r.department_id) }));
    const demoStaffUser = await trx('users').where({ username: 'staff' }).first('id');
    if (demoStaffUser && !(await trx('staff').where({ user_id: demoStaffUser.id }).first('id')))
      await trx('staff').where({ id: staff[0]!.id }).update({ user_id: demoStaffUser.id });
    const staffOf = (departmentId: number | null | undefined) => {
      const own = staff.filter((s) => s.department_id === departmentId);
      return pick(rand, own.length > 0 ? own : staff).id;
    };

    // Classes: as many as the students of each entry year fill, each with an adviser of its department.
    const classCount = await placeStudentsInClasses(trx, now, majorIds, (code) => staffOf(departmentIds.get(code)));

    // Courses.
    await insertBatched(
      trx,
      'courses',
      COURSES.map(([code, name, credits, dept, grading]) => ({
        code,
        name,
        name_en: COURSE_NAMES_EN[code] ?? null,
        credits,
        department_id: dept ? departmentIds.get(dept) : null,
        description: DESCRIPTIONS[code] ?? null,
        grading,
        ...timestamps(now),
      })),
    );
    const courses = new Map<string, { id: number; department_id: number | null; grading: string }>(
      (await trx('courses').select('id', 'code', 'department_id', 'grading')).map(
        (r: { id: number; code: string; department_id: number | null; grading: string }) => [
          r.code,
          {
            id: Number(r.id),
            department_id: r.department_id === null ? null : Number(r.department_id),
            grading: r.grading,
          },
        ],
      ),
    );

    // Terms: the past one closed, the current one selecting from a week ago until two weeks ahead.
    const { past, current } = demoTerms(clock);
    const day = 86_400_000;
    await trx('terms').insert([
      {
        ...past,
        current_marker: null,
        selection_opens_at: sqlNow(new Date(Date.parse(`${past.starts_on}T00:00:00Z`) - 7 * day)),
        selection_closes_at: sqlNow(new Date(Date.parse(`${past.starts_on}T00:00:00Z`) + 14 * day)),
        ...timestamps(now),
      },
      {
        ...current,
        current_marker: 1,
        selection_opens_at: sqlNow(new Date(clock.getTime() - 7 * day)),
        selection_closes_at: sqlNow(new Date(clock.getTime() + 14 * day)),
        ...timestamps(now),
      },
    ]);
    const termIds = new Map<string, number>(
      (await trx('terms').select('id', 'code')).map((r: { id: number; code: string }) => [r.code, Number(r.id)]),
    );

    // Who takes courses: the first (bounded) enrolled students, the demo student among them.
    const demoStudent = await trx('users')
      .where({ username: 'student' })
      .whereNotNull('student_id')
      .first('student_id');
    const takers: number[] = (
      await trx('students')
        .whereNull('deleted_at')
        .where('status', 'enrolled')
        .orderBy('id')
        .limit(ENROLLING_STUDENTS)
        .pluck('id')
    ).map(Number);
    const demoId = demoStudent ? Number(demoStudent.student_id) : undefined;
    if (demoId !== undefined && !takers.includes(demoId)) takers.unshift(demoId);

    const pastPlan = await seedTerm(trx, rand, now, termIds.get(past.code)!, 'past', takers, demoId, courses, staffOf);
    const currentPlan = await seedTerm(
      trx,
      rand,
      now,
      termIds.get(current.code)!,
      'current',
      takers,
      demoId,
      courses,
      staffOf,
    );
    const grades = await seedGrades(trx, rand, now, pastPlan.sectionIds, courses);

    return {
      departments: DEPARTMENTS.length,
      majors: majorIds.size,
      classes: classCount,
      staff: staffRows.length,
      courses: COURSES.length,
      sections: pastPlan.sectionIds.length + currentPlan.sectionIds.length,
      enrolments: pastPlan.enrolments + currentPlan.enrolments,
      grades,
    };
  });
}

/**
 * Class sizes for `count` students: as few classes as hold them at CLASS_SIZE.max, evened out. Each is
 * within CLASS_SIZE whenever `count` can be split so (30-40, 60-80, 90 and more), in particular whenever
 * `count` is a sum of such sizes: that is how the demo students' entry years are drawn (seeds/demo.ts).
 */
export function classSizes(count: number): number[] {
  if (count <= 0) return [];
  const classes = Math.ceil(count / CLASS_SIZE.max);
  const base = Math.floor(count / classes);
  return Array.from({ length: classes }, (_, i) => base + (i < count % classes ? 1 : 0));
}

/**
 * Majors in turn by their department's share of students (smooth weighted round robin, as nginx picks
 * upstreams): every major gets a class before any gets a second, then bigger departments get more.
 */
function majorTurns(): () => { department: DepartmentDef; major: MajorDef } {
  const turns = DEPARTMENTS.flatMap((department) =>
    department.majors.map((major) => ({
      department,
      major,
      weight: department.weight / department.majors.length,
      current: 0,
    })),
  );
  const total = turns.reduce((sum, t) => sum + t.weight, 0);
  return () => {
    for (const t of turns) t.current += t.weight;
    const chosen = turns.reduce((best, t) => (t.current > best.current ? t : best));
    chosen.current -= total;
    return chosen;
  };
}

/** Classes per UPDATE (its CASE has a branch each): small statements on MySQL and SQLite alike. */
const CLASSES_PER_UPDATE = 100;

/**
 * Makes the classes the students without one need and places them: per entry year, classSizes of that
 * year's students, each class taking the next run of them by id. Returns how many classes it made.
 */
async function placeStudentsInClasses(
  trx: Knex,
  now: string,
  majorIds: Map<string, number>,
  adviserOf: (departmentCode: string) => number,
): Promise<number> {
  const years: number[] = (
    await trx('students').whereNull('class_id').distinct('enrolment_year').orderBy('enrolment_year', 'desc')
  ).map((r: { enrolment_year: number }) => Number(r.enrolment_year));
  const nextMajor = majorTurns();
  const perMajorYear = new Map<string, number>();
  let made = 0;
  for (const year of years) {
    const ids: number[] = (
      await trx('students').where({ enrolment_year: year }).whereNull('class_id').orderBy('id').pluck('id')
    ).map(Number);
    const sizes = classSizes(ids.length);
    const rows = sizes.map(() => {
      const { department, major } = nextMajor();
      const key = `${major.code}-${year}`;
      const k = (perMajorYear.get(key) ?? 0) + 1;
      perMajorYear.set(key, k);
      return {
        code: `${key}-${k}`,
        name: `${major.short}${String(year).slice(2)}${String(k).padStart(2, '0')}班`,
        major_id: majorIds.get(major.code),
        entry_year: year,
        adviser_staff_id: adviserOf(department.code),
        ...timestamps(now),
      };
    });
    await insertBatched(trx, 'classes', rows);
    const classIds = new Map<string, number>(
      (await trx('classes').where({ entry_year: year }).select('id', 'code')).map((r: { id: number; code: string }) => [
        r.code,
        Number(r.id),
      ]),
    );
    // Class i takes the ids up to and including lastIds[i].
    const lastIds: number[] = [];
    let taken = 0;
    for (const size of sizes) lastIds.push(ids[(taken += size) - 1]!);
    for (let from = 0; from < rows.length; from += CLASSES_PER_UPDATE) {
      const upto = Math.min(rows.length, from + CLASSES_PER_UPDATE);
      const cases = rows
        .slice(from, upto)
        .map((row, i) => `when id <= ${lastIds[from + i]} then ${classIds.get(row.code)}`)
        .join(' ');
      const low = from === 0 ? ids[0]! : lastIds[from - 1]! + 1;
      await trx('students')
        .where({ enrolment_year: year })
        .whereNull('class_id')
        .whereBetween('id', [low, lastIds[upto - 1]!])
        .update({ class_id: trx.raw(`case ${cases} end`) });
    }
    made += rows.length;
  }
  return made;
}

interface PlannedSection {
  key: string;
  course: string;
  sectionNo: string;
  weight: number;
  slots: number[]; // day * SLOTS_PER_DAY + block
  capacity: number;
}

/** Sections of a term, their meetings and enrolments; a full section gets a short waiting list. */
async function seedTerm(
  trx: Knex,
  rand: () => number,
  now: string,
  termId: number,
  kind: 'past' | 'current',
  takers: number[],
  demoId: number | undefined,
  courses: Map<string, { id: number; department_id: number | null; grading: string }>,
  staffOf: (departmentId: number | null | undefined) => number,
): Promise<{ sectionIds: number[]; enrolments: number }> {
  // Each term offers a different half of the catalogue (the popular courses twice).
  const offered = COURSES.filter((_, i) => (kind === 'past' ? i % 2 === 0 : i % 2 === 1 || i >= 24));
  const planned: PlannedSection[] = [];
  let slotCursor = kind === 'past' ? 0 : 3;
  for (const [code, , credits, , , weight] of offered) {
    const copies = weight >= 3 ? 2 : 1;
    for (let k = 1; k <= copies; k++) {
      const meetings = credits >= 3 ? 2 : 1;
      const first = slotCursor % 25;
      // A second meeting two days later in the same block: never a clash inside the section.
      const slots = meetings === 2 ? [first, (first + 2 * SLOTS_PER_DAY) % 25] : [first];
      slotCursor += 7; // walks the 5 x 5 grid, visiting every slot
      planned.push({
        key: `${code}-${k}`,
        course: code,
        sectionNo: normaliseSectionNo(String(k)),
        weight,
        slots,
        capacity: 0,
      });
    }
  }

  // Demand decides capacity: the most popular sections are made too small (a waiting list), others roomy.
  const picksPerStudent = kind === 'past' ? 4 : 3;
  const totalWeight = planned.reduce((sum, s) => sum + s.weight, 0);
  for (const s of planned) {
    const demand = (takers.length * picksPerStudent * s.weight) / totalWeight;
    const factor = s.weight >= 4 ? 0.6 : 1.4;
    s.capacity = Math.min(200, Math.max(20, Math.round((demand * factor) / 5) * 5));
  }

  const sectionRows = planned.map((s) => ({
    course_id: courses.get(s.course)!.id,
    term_id: termId,
    section_no: s.sectionNo,
    teacher_staff_id: staffOf(courses.get(s.course)!.department_id),
    capacity: s.capacity,
    enrolled_count: 0,
    room: `${pick(rand, ['教一', '教二', '理科楼', '文科楼'])}-${100 * (1 + Math.floor(rand() * 5)) + 1 + Math.floor(rand() * 20)}`,
    status: 'open',
    grades_locked_at: kind === 'past' ? now : null,
    ...timestamps(now),
  }));
  await insertBatched(trx, 'sections', sectionRows);
  const idOf = new Map<string, number>(
    (
      await trx('sections as s')
        .join('courses as c', 'c.id', 's.course_id')
        .where('s.term_id', termId)
        .select('s.id', 'c.code', 's.section_no')
    ).map((r: { id: number; code: string; section_no: string }) => [`${r.code}-${Number(r.section_no)}`, Number(r.id)]),
  );
  const sectionIds = planned.map((s) => idOf.get(s.key)!);

  await insertBatched(
    trx,
    'section_meetings',
    planned.flatMap((s, i) =>
      s.slots.map((slot) => ({
        section_id: sectionIds[i],
        day_of_week: 1 + Math.floor(slot / SLOTS_PER_DAY),
        start_period: BLOCKS[slot % SLOTS_PER_DAY]![0],
        end_period: BLOCKS[slot % SLOTS_PER_DAY]![1],
      })),
    ),
  );

  // Each student picks sections by popularity, skipping a timetable clash or a second section of a course.
  const enrolled = planned.map(() => 0);
  const waiting = planned.map(() => 0);
  const rows: object[] = [];
  let seq = 0;
  for (const studentId of takers) {
    const wanted = studentId === demoId ? (kind === 'past' ? 5 : 4) : picksPerStudent - 1 + Math.floor(rand() * 2);
    const busy = new Set<number>();
    const taken = new Set<string>();
    for (let attempt = 0; attempt < 12 && taken.size < wanted; attempt++) {
      let r = rand() * totalWeight;
      let i = 0;
      while (i < planned.length - 1 && r >= planned[i]!.weight) r -= planned[i++]!.weight;
      const s = planned[i]!;
      if (taken.has(s.course) || s.slots.some((slot) => busy.has(slot))) continue;
      // The demo student always gets a seat: the point is to show a timetable.
      const full = enrolled[i]! >= s.capacity && studentId !== demoId;
      if (full && (kind === 'past' || waiting[i]! >= WAITLIST_LIMIT)) continue;
      taken.add(s.course);
      if (!full) s.slots.forEach((slot) => busy.add(slot));
      if (full) waiting[i]!++;
      else enrolled[i]!++;
      rows.push({
        section_id: sectionIds[i],
        student_id: studentId,
        status: full ? 'waitlisted' : 'enrolled',
        waitlist_seq: full ? ++seq : null,
        window_override: false,
        enrolled_at: full ? null : now,
        version: 1,
        ...timestamps(now),
      });
    }
  }
  await insertBatched(trx, 'enrolments', rows);
  for (let i = 0; i < planned.length; i++) {
    // The demo student may sit above a capacity met by others: the capacity grows to fit.
    const capacity = Math.max(planned[i]!.capacity, enrolled[i]!);
    await trx('sections').where({ id: sectionIds[i] }).update({ enrolled_count: enrolled[i], capacity });
  }
  return { sectionIds, enrolments: rows.length };
}

/** Grades for every enrolment of the past term: scores around 78, pass/fail mostly passed. */
async function seedGrades(
  trx: Knex,
  rand: () => number,
  now: string,
  sectionIds: number[],
  courses: Map<string, { id: number; department_id: number | null; grading: string }>,
): Promise<number> {
  const gradingOfCourse = new Map([...courses.values()].map((c) => [c.id, c.grading]));
  const sectionCourse = new Map<number, number>(
    (await trx('sections').whereIn('id', sectionIds).select('id', 'course_id')).map(
      (r: { id: number; course_id: number }) => [Number(r.id), Number(r.course_id)],
    ),
  );
  const enrolments: { id: number; section_id: number }[] = await trx('enrolments')
    .whereIn('section_id', sectionIds)
    .where('status', 'enrolled')
    .orderBy('id')
    .select('id', 'section_id');
  const rows = enrolments.map((e) => {
    const passFail = gradingOfCourse.get(sectionCourse.get(Number(e.section_id))!) === 'pass_fail';
    // The sum of three uniforms: a bell shape without a library.
    const bell = (rand() + rand() + rand()) / 3;
    const score = Math.min(100, Math.max(35, Math.round((48 + bell * 60) * 10) / 10));
    return {
      enrolment_id: e.id,
      score: passFail ? null : score,
      passed: passFail ? rand() < 0.95 : null,
      version: 1,
      ...timestamps(now),
    };
  });
  await insertBatched(trx, 'grades', rows);
  return rows.length;
}
