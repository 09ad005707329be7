// Before course selection's pages and actions: a student entering while the room is full gets their place
// in line (a page that asks again by itself, or JSON 503 waiting_room); everyone else goes straight on.
import type { RequestHandler } from 'express';
import { wantsJson } from '../middleware/respond';
import type { CurrentUser } from '../users/users.types';
import { REFRESH_SECONDS, WaitingRoomError, type WaitingRoomService } from './waiting-room.service';

export function waitingRoom(deps: {
  room: WaitingRoomService;
  /** Whether the student's own selection window (current term) is open: only then is there a rush to hold. */
  selectionOpen: (user: CurrentUser) => Promise<boolean>;
}): RequestHandler {
  const { room } = deps;
  return async (req, res, next) => {
    const user = req.user;
    if (!room.enabled || !user || user.role !== 'student') return next();
    if (!(await deps.selectionOpen(user))) return next();
    const entry = await room.enter(user.id);
    if (entry.admitted) return next();
    if (wantsJson(req)) return next(new WaitingRoomError(entry));
    // A page, not an error: nginx would count a 503 page as a failing node. The Refresh header brings the
    // student back (a GET, never a repeated POST) without any script.
    const back = req.method === 'GET' ? req.originalUrl : '/sections';
    res.setHeader('Retry-After', String(REFRESH_SECONDS));
    res.setHeader('Refresh', `${REFRESH_SECONDS}; url=${back}`);
    res.render('waiting-room/index', {
      position: entry.position,
      queued: entry.queued,
      refreshSeconds: REFRESH_SECONDS,
      keepSeconds: room.queueTtlSeconds,
      back,
    });
  };
}
