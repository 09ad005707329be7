import { type Page, pageOf } from '../lib/paging';
// The administrator's account rules: accounts linked to a staff profile or a student record (named by its
// staff or student number, or by id; one account each), deactivation that ends sessions at once, and
// password resets that force a change at next sign-in.
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { hashPassword } from '../auth/passwords';
import { isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { ConflictError, type FieldErrors, NotFoundError, ValidationError } from '../lib/errors';
import { parseIdOrNotFound } from '../lib/ids';
import { parseOrThrow } from '../lib/validate';
import type { UserListRow, UsersRepository } from '../users/users.repository';
import { type LinkRef, newUserSchema, userListQuerySchema } from './users.schemas';

// No 0/O, 1/l/I: a temporary password is read off a screen and typed by someone else.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const TEMPORARY_LENGTH = 14;

export function temporaryPassword(): string {
  let out = '';
  for (let i = 0; i < TEMPORARY_LENGTH; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export type UserPage = Page<UserListRow>;

/** An account as just written, with the one-time password that only this response carries. */
export interface AccountWithPassword {
  user: UserListRow;
  temporaryPassword: string;
}

const parseId = (raw: unknown) => parseIdOrNotFound(raw, 'admin.users.not_found');

/** A linkable record as its owner feature answers for it: archived ones too, so a refusal can say so. */
interface Linkable {
  id: number;
  name: string;
  deleted_at?: string | null;
}
interface LinkableStudent extends Linkable {
  student_no: string;
}
interface LinkableStaff extends Linkable {
  staff_no: string;
  user_id: number | null;
}
/** A record by id or by its number (学号, 工号), locked for the caller's transaction when asked. */
interface LinkFinder<Row> {
  findById(id: number, trx: Knex, options: { lock?: boolean }): Promise<Row | undefined>;
  findByNumber(number: string, trx: Knex, options: { lock?: boolean }): Promise<Row | undefined>;
}

/** What the account rules ask of the students and staff features (their services, never their tables). */
export interface AccountLinkPorts {
  students: LinkFinder<LinkableStudent>;
  staff: LinkFinder<LinkableStaff> & {
    /** Links a profile without an account to `userId`: the rows changed, 0 when another account took it. */
    linkAccount(staffId: number, userId: number, trx: Knex): Promise<number>;
  };
}

/** The person a number (or id) named: shown beside the number when the form comes back. */
export interface NamedPerson {
  no: string;
  name: string;
}

/**
 * A refused new account, with the people its links named (field -> person), so the form shown again reads
 * "2025000001 — 谢可馨" beside the number the administrator typed.
 */
export class AccountRefusedError extends ValidationError {
  constructor(
    fields: FieldErrors,
    readonly people: Record<string, NamedPerson>,
  ) {
    super(fields);
  }
}

/** Which unique key a racing insert met: the username or the one-account-per-student key. */
function uniqueToFieldError(err: unknown, studentField: string): never {
  if (isUniqueViolation(err)) {
    const text = String((err as Error).message ?? '');
    if (text.includes('student_id')) throw new ValidationError({ [studentField]: 'admin.validation.student_taken' });
    throw new ValidationError({ username: 'admin.validation.username_taken' });
  }
  throw err;
}

/** The record a link names, locked until the account is written (an archive waits, or goes first). */
function findLinked<Row>(finder: LinkFinder<Row>, ref: LinkRef, trx: Knex): Promise<Row | undefined> {
  const lock = { lock: true };
  return ref.by === 'id' ? finder.findById(ref.id, trx, lock) : finder.findByNumber(ref.number, trx, lock);
}

export class UsersAdminService {
  constructor(
    private readonly db: Knex,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly links: AccountLinkPorts,
  ) {}

  async list(rawQuery: unknown): Promise<UserPage> {
    const query = parseOrThrow(userListQuerySchema, rawQuery);
    const { rows, total, exact } = await this.users.list(query);
    return { ...pageOf(rows, total, query), exact };
  }

  async get(rawId: unknown): Promise<UserListRow> {
    const row = await this.users.findListRow(parseId(rawId));
    if (!row) throw new NotFoundError('admin.users.not_found');
    return row;
  }

  history(id: number) {
    return this.audit.forEntity('user', id, 20);
  }

  async create(input: unknown, ctx: ActorContext): Promise<AccountWithPassword> {
    const data = parseOrThrow(newUserSchema, input);
    const password = temporaryPassword();
    const hash = await hashPassword(password);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      // Checked first for a clear message; the unique keys still decide a race.
      const errors: FieldErrors = {};
      const people: Record<string, NamedPerson> = {};
      if (await this.users.findByUsername(data.username, trx)) errors.username = 'admin.validation.username_taken';
      let studentId: number | null = null;
      if (data.student) {
        const { field } = data.student;
        const student = await findLinked(this.links.students, data.student, trx);
        if (student) people[field] = { no: student.student_no, name: student.name };
        if (!student) errors[field] = unknownKey('student', data.student);
        else if (student.deleted_at) errors[field] = 'admin.validation.student_archived';
        else if (await this.users.findByStudentId(student.id, trx)) errors[field] = 'admin.validation.student_taken';
        else studentId = student.id;
      }
      let staffId: number | null = null;
      if (data.staff) {
        const { field } = data.staff;
        const staff = await findLinked(this.links.staff, data.staff, trx);
        if (staff) people[field] = { no: staff.staff_no, name: staff.name };
        if (!staff) errors[field] = unknownKey('staff', data.staff);
        else if (staff.deleted_at) errors[field] = 'admin.validation.staff_archived';
        else if (staff.user_id !== null) errors[field] = 'admin.validation.staff_taken';
        else staffId = staff.id;
      }
      if (Object.keys(errors).length > 0) throw new AccountRefusedError(errors, people);

      const id = await this.users
        .insert(
          {
            username: data.username,
            password_hash: hash,
            role: data.role,
            student_id: studentId,
            must_change_password: true,
          },
          trx,
        )
        .catch((err: unknown) => uniqueToFieldError(err, data.student?.field ?? 'student_no'));
      if (staffId !== null && (await this.links.staff.linkAccount(staffId, id, trx)) === 0)
        throw new ValidationError({ [data.staff!.field]: 'admin.validation.staff_taken' });
      const user = (await this.users.findListRow(id, trx))!;
      await this.audit.record({ ...ctx, action: 'create', entity: 'user', entityId: id, after: auditImage(user) }, trx);
      return { user, temporaryPassword: password };
    });
  }

  deactivate(rawId: unknown, ctx: ActorContext) {
    const id = parseId(rawId);
    // Locking oneself out leaves nobody to undo it.
    if (id === ctx.actorId) throw new ConflictError('admin.users.cannot_deactivate_self', 'self_deactivation');
    return this.setActive(id, false, ctx);
  }

  reactivate(rawId: unknown, ctx: ActorContext) {
    return this.setActive(parseId(rawId), true, ctx);
  }

  /** Already in the wanted state: nothing changes and no audit row is written. */
  private setActive(id: number, active: boolean, ctx: ActorContext) {
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const locked = await this.users.findByIdForUpdate(id, trx);
      if (!locked) throw new NotFoundError('admin.users.not_found');
      const before = (await this.users.findListRow(id, trx))!;
      const changed = (await this.users.setActive(id, active, trx)) > 0;
      const after = (await this.users.findListRow(id, trx))!;
      if (changed) {
        const action = active ? 'reactivate' : 'deactivate';
        await this.audit.record(
          { ...ctx, action, entity: 'user', entityId: id, before: auditImage(before), after: auditImage(after) },
          trx,
        );
      }
      return { user: after, changed };
    });
  }

  async resetPassword(rawId: unknown, ctx: ActorContext): Promise<AccountWithPassword> {
    const id = parseId(rawId);
    const password = temporaryPassword();
    const hash = await hashPassword(password);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const locked = await this.users.findByIdForUpdate(id, trx);
      if (!locked) throw new NotFoundError('admin.users.not_found');
      const before = (await this.users.findListRow(id, trx))!;
      await this.users.resetPassword(id, hash, trx);
      const after = (await this.users.findListRow(id, trx))!;
      // The audit row says that a reset happened, never the password.
      await this.audit.record(
        {
          ...ctx,
          action: 'password_reset',
          entity: 'user',
          entityId: id,
          before: auditImage(before),
          after: auditImage(after),
        },
        trx,
      );
      return { user: after, temporaryPassword: password };
    });
  }
}

/** No record has this id, or this number: the message says which the request gave. */
function unknownKey(kind: 'staff' | 'student', ref: LinkRef): string {
  return ref.by === 'id' ? `admin.validation.${kind}_unknown` : `admin.validation.${kind}_no_unknown`;
}

/** What the audit log keeps of an account: its state and links, never a password hash. */
function auditImage(row: UserListRow) {
  return {
    username: row.username,
    role: row.role,
    active: Boolean(row.active),
    must_change_password: Boolean(row.must_change_password),
    student_id: row.student_id,
    staff_id: row.staff_id,
    version: row.version,
  };
}
