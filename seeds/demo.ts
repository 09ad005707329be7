// Demo data: the CONTRACT.md accounts and N students with realistic names, inserted in batches.
import type { Knex } from 'knex';
import { hashPassword, verifyPassword } from '../src/auth/passwords';
import type { Role } from '../src/users/users.types';
import { isMysql } from '../src/db/knex';
import { sqlNow } from '../src/lib/time';
import { StudentsRepository } from '../src/students/students.repository';
import { classSizes, seedAcademic } from './academic';
import { pick, random } from './random';
import { CHINESE_FAMILY, CHINESE_GIVEN, CITIES, ENGLISH_FIRST_FEMALE, ENGLISH_FIRST_MALE, ENGLISH_LAST } from './names';

// knex writes SQLite multi-row inserts as a compound SELECT, which SQLite caps at 500 terms.
const batchSize = (db: Knex) => (isMysql(db) ? 1_000 : 400);
/** Entry years of demo students, newest first: a small seed is a young university, all of it enrolled. */
const ENTRY_YEARS = [2025, 2024, 2023, 2022, 2021];
const STATUSES = ['enrolled', 'enrolled', 'enrolled', 'enrolled', 'enrolled', 'suspended', 'graduated', 'withdrawn'];

export interface SeedOptions {
  /** Undefined in production: then no demo accounts are made. */
  demoPassword?: string;
  students?: number;
  /** Seed students only into an empty table (what `npm start` does on first run). */
  onlyIfEmpty?: boolean;
}

function demoStudent(seq: number, rand: () => number, now: string, year: number) {
  const gender = rand() < 0.5 ? 'male' : 'female';
  const chinese = rand() < 0.8;
  const name = chinese
    ? pick(rand, CHINESE_FAMILY) + pick(rand, CHINESE_GIVEN)
    : `${pick(rand, gender === 'male' ? ENGLISH_FIRST_MALE : ENGLISH_FIRST_FEMALE)} ${pick(rand, ENGLISH_LAST)}`;
  const birthYear = year - 18 - Math.floor(rand() * 2);
  const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
  const studentNo = `${year}${String(seq).padStart(6, '0')}`;
  return {
    student_no: studentNo,
    name,
    gender,
    birth_date: `${birthYear}-${month}-${day}`,
    email: `s${studentNo}@students.example.edu`,
    phone: `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`,
    address: `${pick(rand, CITIES)}${1 + Math.floor(rand() * 300)}号`,
    enrolment_year: year,
    status: year >= 2024 ? 'enrolled' : pick(rand, STATUSES),
    class_id: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
}

/**
 * The entry year of each of `count` new students, in id order: whole classes (classSizes) go to the years
 * in turn, then the order is shuffled, so each year's count is a sum of class sizes and its students
 * fill classes of 30 to 40 (seeds/academic.ts) while the years stay mixed along the student numbers.
 */
export function entryYears(count: number, rand: () => number): number[] {
  const years = classSizes(count).flatMap((size, i) => Array<number>(size).fill(ENTRY_YEARS[i % ENTRY_YEARS.length]!));
  for (let i = years.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [years[i], years[j]] = [years[j]!, years[i]!];
  }
  return years;
}

/** `count` demo students after the last one (bulk set-ups such as the query-plan test use it too). */
export async function seedStudents(db: Knex, count: number): Promise<number> {
  const maxRow = await db('students').max<{ m: number | null }>({ m: 'id' }).first();
  const start = Number(maxRow?.m ?? 0) + 1;
  const rand = random(start);
  const now = sqlNow();
  const size = batchSize(db);
  const years = entryYears(count, rand);
  // Through the repository's bulk insert, so each batch's search grams (students/name-grams.ts) go with it.
  const repo = new StudentsRepository(db);
  await db.transaction(async (trx) => {
    for (let offset = 0; offset < count; offset += size) {
      const rows = [];
      for (let i = offset; i < Math.min(count, offset + size); i++)
        rows.push(demoStudent(start + i, rand, now, years[i]!));
      await repo.insertMany(rows, trx, size);
    }
  });
  return count;
}

/** The demo accounts (CONTRACT.md), in the order the start-up line names them. */
export const DEMO_USERNAMES = ['admin', 'staff', 'student'] as const;

/** The demo accounts that exist, are active and still take `demoPassword` (nobody has changed it). */
export async function demoSignIns(db: Knex, demoPassword: string): Promise<string[]> {
  const rows: { username: string; password_hash: string }[] = await db('users')
    .whereIn('username', [...DEMO_USERNAMES])
    .where('active', true)
    .select('username', 'password_hash');
  const usable = new Set<string>();
  for (const row of rows) if (await verifyPassword(row.password_hash, demoPassword)) usable.add(row.username);
  return DEMO_USERNAMES.filter((name) => usable.has(name));
}

async function ensureAccount(db: Knex, username: string, role: Role, passwordHash: string, studentId: number | null) {
  if (await db('users').where({ username }).first()) return false;
  const now = sqlNow();
  await db('users').insert({
    username,
    role,
    password_hash: passwordHash,
    student_id: studentId,
    active: true,
    must_change_password: false,
    created_at: now,
    updated_at: now,
  });
  return true;
}

export async function seedDemo(db: Knex, options: SeedOptions): Promise<{ students: number; accounts: number }> {
  const existing = Number((await db('students').count<{ n: number }[]>({ n: '*' }).first())?.n ?? 0);
  const wanted = options.students ?? 200;
  const students = options.onlyIfEmpty && existing > 0 ? 0 : await seedStudents(db, wanted);

  let accounts = 0;
  if (options.demoPassword) {
    const hash = await hashPassword(options.demoPassword);
    const linked = await db('students').whereNull('deleted_at').where('status', 'enrolled').orderBy('id').first('id');
    const taken = linked ? await db('users').where({ student_id: linked.id }).first() : undefined;
    accounts += Number(await ensureAccount(db, 'admin', 'admin', hash, null));
    accounts += Number(await ensureAccount(db, 'staff', 'staff', hash, null));
    accounts += Number(await ensureAccount(db, 'student', 'student', hash, taken ? null : (linked?.id ?? null)));
  }
  // The university around the students, once (it seeds only into empty academic tables); at start-up only
  // on the very first run, never into a database someone has begun to fill.
  if (!options.onlyIfEmpty || students > 0) await seedAcademic(db);
  return { students, accounts };
}
