import { type Page, pageOf } from '../lib/paging';
// The administrator's account rules: accounts linked to a staff profile or a student record (one account
// each), deactivation that ends sessions at once, and password resets that force a change at next sign-in.
import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { hashPassword } from '../auth/passwords';
import { isUniqueViolation } from '../db/errors';
import { inWriteTransaction } from '../db/write-transaction';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors';
import { parseIdOrNotFound } from '../lib/ids';
import { parseOrThrow } from '../lib/validate';
import type { UserListRow, UsersRepository } from '../users/users.repository';
import type { AccountLinksRepository } from './account-links.repository';
import { newUserSchema, userListQuerySchema } from './users.schemas';

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

/** Which unique key a racing insert met: the username or the one-account-per-student key. */
function uniqueToFieldError(err: unknown): never {
  if (isUniqueViolation(err)) {
    const text = String((err as Error).message ?? '');
    if (text.includes('student_id')) throw new ValidationError({ student_id: 'admin.validation.student_taken' });
    throw new ValidationError({ username: 'admin.validation.username_taken' });
  }
  throw err;
}

export class UsersAdminService {
  constructor(
    private readonly db: Knex,
    private readonly users: UsersRepository,
    private readonly links: AccountLinksRepository,
    private readonly audit: AuditRepository,
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
      const errors: Record<string, string> = {};
      if (await this.users.findByUsername(data.username, trx)) errors.username = 'admin.validation.username_taken';
      if (data.student_id !== null) {
        const student = await this.links.findStudent(data.student_id, trx, { lock: true });
        if (!student || student.deleted_at) errors.student_id = 'admin.validation.student_unknown';
        else if (await this.users.findByStudentId(data.student_id, trx))
          errors.student_id = 'admin.validation.student_taken';
      }
      if (data.staff_id !== null) {
        const staff = await this.links.findStaff(data.staff_id, trx, { lock: true });
        if (!staff || staff.deleted_at) errors.staff_id = 'admin.validation.staff_unknown';
        else if (staff.user_id !== null) errors.staff_id = 'admin.validation.staff_taken';
      }
      if (Object.keys(errors).length > 0) throw new ValidationError(errors);

      const id = await this.users
        .insert(
          {
            username: data.username,
            password_hash: hash,
            role: data.role,
            student_id: data.student_id,
            must_change_password: true,
          },
          trx,
        )
        .catch(uniqueToFieldError);
      if (data.staff_id !== null && (await this.links.linkStaff(data.staff_id, id, trx)) === 0)
        throw new ValidationError({ staff_id: 'admin.validation.staff_taken' });
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
