// Reads of the audit log for the administrator's viewer (rows are written by audit/audit.repository.ts).
import type { Knex } from 'knex';
import { SESSION_ACTIONS } from '../audit/audit-actions';
import type { AuditRow } from '../audit/audit.repository';
import { DEFAULT_TIME_ZONE } from '../i18n/format';
import { type BatchKey, encodeCursor, type Keyset, usableCursor, whereKeyset } from '../lib/keyset';
import { addDays, startOfDayUtc } from '../lib/time';
import type { AuditQuery } from './users.schemas';

/** How many entries past the page the log counts before it says "more than". */
export const AUDIT_COUNT_CAP = 1000;

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  exact: boolean;
  cursors: { next?: string; prev?: string };
}

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

  /**
   * One page, newest first by (at, id): every filter's index ends in `at` (audit_log_*_index), so a page
   * reads one index range from a keyset cursor (`after`/`before`) or, without one, by OFFSET (page=N).
   * The count reads at most AUDIT_COUNT_CAP entries past the page (`exact: false` when it stopped).
   */
  async search(query: AuditQuery, trx: Knex = this.db): Promise<AuditPage> {
    const cursor = usableCursor({ ...query, sort: 'at', dir: 'desc' });
    const dir = cursor?.backwards ? 'asc' : 'desc';
    const page: AuditRow[] = await this.filtered(query, trx)
      .select('*')
      .modify((q) => cursor && whereKeyset(q, 'at', 'id', dir, cursor.key))
      .orderBy('at', dir)
      .orderBy('id', dir)
      .limit(query.size + 1)
      .offset(cursor ? 0 : (query.page - 1) * query.size);
    const more = page.length > query.size;
    const rows = page.slice(0, query.size);
    if (cursor?.backwards) rows.reverse();

    const keyOf = (row: AuditRow): Keyset => ({ sort: 'at', dir: 'desc', value: row.at, id: Number(row.id) });
    const cursors: AuditPage['cursors'] = {};
    if (rows.length > 0) {
      if (cursor?.backwards || more) cursors.next = encodeCursor(keyOf(rows[rows.length - 1]!));
      if (query.page > 1 && (!cursor?.backwards || more)) cursors.prev = encodeCursor(keyOf(rows[0]!));
    }

    const first = rows[0];
    const before = first ? (query.page - 1) * query.size : 0;
    const cap = first ? query.size + AUDIT_COUNT_CAP : query.page * query.size + AUDIT_COUNT_CAP;
    const matches = this.filtered(query, trx)
      .select(trx.raw('1'))
      .modify((q) => first && whereKeyset(q, 'at', 'id', 'desc', keyOf(first), true))
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(cap + 1)
      .as('m');
    const countRow = await trx.from(matches).count<{ n: number | string }[]>({ n: '*' }).first();
    const counted = Number(countRow?.n ?? 0);
    return { rows, total: before + Math.min(counted, cap), exact: counted <= cap, cursors };
  }

  /**
   * The entries the filters match, newest first, past `after` (the last one of the previous batch), at
   * most `limit`: the page's query without its count (an export walks the whole log this way).
   */
  batchAfter(query: AuditQuery, after: BatchKey | undefined, limit: number, trx: Knex = this.db): Promise<AuditRow[]> {
    return this.filtered(query, trx)
      .select('*')
      .modify((q) => after && whereKeyset(q, 'at', 'id', 'desc', after))
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
  }

  /** The newest changes, sign-ins and sign-outs left out (they change no record). */
  recentChanges(limit: number, trx: Knex = this.db): Promise<AuditRow[]> {
    return trx<AuditRow>('audit_log').whereNotIn('action', SESSION_ACTIONS).orderBy('id', 'desc').limit(limit);
  }
}
