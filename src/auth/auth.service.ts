// Sign-in and password changes. One generic failure for unknown user, wrong password or inactive account.
// Wrong passwords are counted (login-limiter.ts) and argon2id runs a few at a time per node (hashing).
import type { Knex } from 'knex';
import type { ActorContext } from '../audit/audit-context';
import type { AuditRepository } from '../audit/audit.repository';
import { inTransaction } from '../db/transaction';
import { inWriteTransaction } from '../db/write-transaction';
import { type BoundedConcurrency, QueueFullError } from '../lib/bounded-concurrency';
import { ServiceUnavailableError, UnauthorizedError, ValidationError } from '../lib/errors';
import { parseOrThrow } from '../lib/validate';
import type { UsersRepository } from '../users/users.repository';
import { changePasswordSchema, loginSchema, signInName } from './auth.schemas';
import type { CurrentUser } from '../users/users.types';
import type { PasswordGuessLimits } from './login-limiter';

/** A successful sign-in: the user, and the session version its session must carry (loadUser). */
export type SignedIn = CurrentUser & { sessionVersion: number };
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';

export class AuthService {
  constructor(
    private readonly db: Knex,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
    private readonly guesses: PasswordGuessLimits,
    /** argon2id costs ~33 ms of CPU: a few at a time per node, a bounded queue, then 503. */
    private readonly hashing: BoundedConcurrency,
  ) {}

  /** `address`: the client's (req.ip), whose wrong passwords are counted over every account. */
  async login(
    input: unknown,
    ctx: Omit<ActorContext, 'actorId' | 'actorUsername'>,
    address: string,
  ): Promise<SignedIn> {
    const { username, password } = parseOrThrow(loginSchema, input);
    // A name that is not the ASCII form of one matches no account: no lookup, the generic answer.
    const name = signInName(username);
    const row = name === undefined ? undefined : await this.users.findByUsername(name);
    const ok = await this.cpuBound(async () => {
      // Read once a verification slot is ours: guesses queued behind wrong ones see those counted.
      await this.guesses.assertSignInAllowed(address, name);
      return verifyPassword(row?.password_hash ?? (await dummyPasswordHash()), password);
    });
    if (!row || !ok || !row.active) {
      await this.guesses.signInFailed(address, name);
      throw new UnauthorizedError('auth.invalid_credentials');
    }
    await this.guesses.signInSucceeded(name!);

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
    await this.guesses.assertPasswordChangeAllowed(userId);
    if (!(await this.cpuBound(() => verifyPassword(row.password_hash, data.current_password)))) {
      await this.guesses.passwordChangeFailed(userId);
      throw new ValidationError({ current_password: 'validation.password.wrong_current' });
    }
    const hash = await this.cpuBound(() => hashPassword(data.new_password));
    return inWriteTransaction(this.db, ctx, async (trx) => {
      const sessionVersion = await this.users.updatePassword(userId, hash, trx);
      await this.audit.record({ ...ctx, action: 'password_change', entity: 'user', entityId: userId }, trx);
      return { sessionVersion };
    });
  }

  private async cpuBound<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.hashing.run(task);
    } catch (err) {
      if (err instanceof QueueFullError) throw new ServiceUnavailableError('auth.busy', 5);
      throw err;
    }
  }

  async recordLogout(ctx: ActorContext): Promise<void> {
    if (ctx.actorId === null) return;
    await this.audit.record({ ...ctx, action: 'logout', entity: 'user', entityId: ctx.actorId });
  }
}
