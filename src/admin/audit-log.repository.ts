// Reads of the audit log for the administrator's viewer (rows are written by audit/audit.repository.ts).
import type { Knex } from 'knex';
import type { AuditRow } from '../audit/audit.repository';
import { DEFAULT_TIME_ZONE } from '../i18n/format';
import { addDays, startOfDayUtc } from '../lib/time';
import type { AuditQuery } from './users.schemas';

export class AuditLogRepository {
  /** `timeZone`: the from/to days are days as the pages show them (config TIME_ZONE); rows are stored in UTC. */
  constructor(
    private readonly db: Knex,
    private readonly timeZone: string = DEFAULT_TIME_ZONE,
  ) {}

  /** The stored UTC 'YYYY-MM-DD HH:MM:SS' at which `day` begins in the configured zone. */
  private dayStart(day: string): string {
    const start = startOfDayUtc(day, this.timeZone);
    if (start === undefined) throw new RangeError(`Not a calendar day: ${day}`);
    return start;
  }

  private filtered(query: AuditQuery, trx: Knex) {
    const builder = trx<AuditRow>('audit_log');
    if (query.actor) builder.where('actor_username', query.actor);
    if (query.entity) builder.where('entity', query.entity);
    if (query.entity_id) builder.where('entity_id', query.entity_id);
    if (query.action) builder.where('action', query.action);
    if (query.from) builder.where('at', '>=', this.dayStart(query.from));
    if (query.to) builder.where('at', '<', this.dayStart(addDays(query.to, 1))); // the whole `to` day
    return builder;
  }

  async search(query: AuditQuery, trx: Knex = this.db): Promise<{ rows: AuditRow[]; total: number }> {
    const countRow = await this.filtered(query, trx).count<{ n: number | string }[]>({ n: '*' }).first();
    const rows = await this.filtered(query, trx)
      .select('*')
      .orderBy('id', 'desc')
      .limit(query.size)
      .offset((query.page - 1) * query.size);
    return { rows, total: Number(countRow?.n ?? 0) };
  }

  /** The newest changes, sign-ins and sign-outs left out (they change no record). */
  recentChanges(limit: number, trx: Knex = this.db): Promise<AuditRow[]> {
    return trx<AuditRow>('audit_log').whereNotIn('action', ['login', 'logout']).orderBy('id', 'desc').limit(limit);
  }

  /** The entity and action names present, for the filter's suggestions. */
  async distinctValues(trx: Knex = this.db): Promise<{ entities: string[]; actions: string[] }> {
    const entities: string[] = await trx('audit_log').distinct('entity').orderBy('entity').pluck('entity');
    const actions: string[] = await trx('audit_log').distinct('action').orderBy('action').pluck('action');
    return { entities, actions };
  }
}
