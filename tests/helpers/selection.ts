// Course-selection tests: a signed-in student (record, account, session and CSRF token), enrol and drop requests, seat counts.
import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import type { StudentRow } from '../../src/students/students.repository';
import type { StudentInput } from '../../src/students/students.schemas';
import { createStudent, createUser, type TestUser } from './factories';
import { type Agent, csrfToken, signIn } from './session';

export interface SignedInStudent {
  row: StudentRow;
  user: TestUser;
  agent: Agent;
  token: string;
}

/** A session's CSRF token does not change, so one read serves every JSON write of that agent. */
export async function tokenFor(agent: Agent): Promise<string> {
  return csrfToken(agent, '/account/password');
}

export async function signedInStudent(
  app: Express,
  db: Knex,
  overrides: Partial<StudentInput> = {},
): Promise<SignedInStudent> {
  const row = await createStudent(db, overrides);
  const user = await createUser(db, 'student', { studentId: row.id });
  const agent = await signIn(app, user);
  return { row, user, agent, token: await tokenFor(agent) };
}

export function enrolJson(
  agent: Agent,
  token: string,
  sectionId: number,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return agent
    .post(`/sections/${sectionId}/enrolments`)
    .set('Accept', 'application/json')
    .set('X-CSRF-Token', token)
    .set(headers)
    .send(body);
}

export function dropJson(agent: Agent, token: string, sectionId: number, studentId: number): Promise<Response> {
  return agent
    .post(`/sections/${sectionId}/enrolments/${studentId}/delete`)
    .set('Accept', 'application/json')
    .set('X-CSRF-Token', token)
    .send({});
}

/** The section's seat counter beside the real number of enrolled rows. */
export async function seatCounts(db: Knex, sectionId: number): Promise<{ counter: number; enrolled: number }> {
  const section = await db('sections').where({ id: sectionId }).first('enrolled_count');
  const row = (await db('enrolments')
    .where({ section_id: sectionId, status: 'enrolled' })
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return { counter: Number(section.enrolled_count), enrolled: Number(row?.n ?? 0) };
}
