// The waiting room for course selection: at most `activeMax` students active at once, counted across every
// node; the others wait in arrival order and are let in as admissions expire (no selection request for
// `idleMs`) or their students sign out. Staff, admins and teachers never come here: the middleware asks only for students.
import { AppError } from '../lib/errors';
import type { Entry, RoomLimits, WaitingRoomStore } from './waiting-room.store';

/** How often a waiting page (and a JSON client, through Retry-After) asks again. */
export const REFRESH_SECONDS = 5;

/** A place in line, answered to a JSON client: 503 `waiting_room` with Retry-After and the position. */
export class WaitingRoomError extends AppError {
  constructor(entry: Entry) {
    super(
      503,
      'waiting_room',
      'waiting_room.json_message',
      { waiting_room: { position: entry.position, queued: entry.queued } },
      { position: String(entry.position) },
    );
    this.retryAfterSeconds = REFRESH_SECONDS;
  }
}

export class WaitingRoomService {
  private readonly limits: RoomLimits;

  constructor(
    private readonly store: WaitingRoomStore,
    options: { activeMax: number; idleMs: number; queueTtlMs?: number },
  ) {
    // A place is kept through a few missed refreshes (a slow page load, a busy phone), then given up.
    this.limits = { ...options, queueTtlMs: options.queueTtlMs ?? REFRESH_SECONDS * 6 * 1000 };
  }

  /** 0: no waiting room. */
  get enabled(): boolean {
    return this.limits.activeMax > 0;
  }

  get queueTtlSeconds(): number {
    return Math.round(this.limits.queueTtlMs / 1000);
  }

  /** A selection request of this student: admitted (the admission is refreshed), or their place in line. */
  enter(userId: number): Promise<Entry> {
    return this.store.enter(`u:${userId}`, this.limits);
  }

  /** The student signed out: their admission (or place in line) goes to the next in line now. */
  leave(userId: number): Promise<void> {
    return this.store.leave(`u:${userId}`);
  }

  counts(): Promise<{ active: number; queued: number }> {
    return this.store.counts(this.limits);
  }
}
