// Sign-in and password changes. One generic failure for unknown user, wrong password or inactive account.
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { inTransaction } from '../db/transaction';
import { inWriteTransaction } from '../db/write-transaction';
import { UnauthorizedError, ValidationError } from '../lib/errors';
import { parseOrThrow } from '../lib/validate';
import type { UsersRepository } from '../users/users.repository';
import { changePasswordSchema, loginSchema, signInName } from './auth.schemas';
import type { CurrentUser } from '../users/users.types';

/** A successful sign-in: the user, and the session version its session must carry (loadUser). */
export type SignedIn = CurrentUser & { sessionVersion: number };
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';

export class AuthService {
  constructor(
    private readonly db: Knex,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
  ) {}

  async login(input: unknown, ctx: Omit<ActorContext, 'actorId' | 'actorUsername'>): Promise<SignedIn> {
    const { username, password } = parseOrThrow(loginSchema, input);
    // A name that is not the ASCII form of one matches no account: no lookup, the generic answer.
    const name = signInName(username);
    const row = name === undefined ? undefined : await this.users.findByUsername(name);
    const ok = await verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), password);
    if (!row || !ok || !row.active) throw new UnauthorizedError('auth.invalid_credentials');

    await inTransaction(this.db, async (trx) => {
      await this.users.recordLogin(row.id, trx);
      await this.audit.record(
        { actorId: row.id, actorUsername: row.username, action: 'login', entity: 'user', entityId: row.id, ...ctx },
        trx,
      );
    });
    return {
      id: row.id,
      username: row.username,
      role: row.role,
      studentId: row.student_id,
      mustChangePassword: Boolean(row.must_change_password),
      sessionVersion: Number(row.session_version),
    };
  }

  /** Answers the account's new session version: the caller's session keeps it, every other one ends. */
  async changePassword(userId: number, input: unknown, ctx: ActorContext): Promise<{ sessionVersion: number }> {
    const data = parseOrThrow(changePasswordSchema, input);
    const row = await this.users.findById(userId);
    if (!row) throw new UnauthorizedError();
    if (!(await verifyPassword(row.password_hash, data.current_password))) {
      throw new ValidationError({ current_password: 'validation.password.wrong_current' });
    }
    const hash = await hashPassword(data.new_password);
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const sessionVersion = await this.users.updatePassword(userId, hash, trx);
      await this.audit.record({ ...ctx, action: 'password_change', entity: 'user', entityId: userId }, trx);
      return { sessionVersion };
    });
  }

  async recordLogout(ctx: ActorContext): Promise<void> {
    if (ctx.actorId === null) return;
    await this.audit.record({ ...ctx, action: 'logout', entity: 'user', entityId: ctx.actorId });
  }
}
