// Saves the session before the first byte of the response is written.
//
// express-session saves (or touches) the session at res.end and, to do so, writes all but the last byte
// of the body, waits for the store, then writes the last byte. With Redis that holds every response
// half-sent for a round trip; a node killed in that window leaves nginx with a cut response it cannot
// retry. Saving first (which also slides the idle expiry in Redis) and touching nothing afterwards
// (connect-redis disableTouch) makes the response leave in one write.
import type { RequestHandler } from 'express';

export function saveSessionBeforeResponse(onError: (err: unknown) => void): RequestHandler {
  return (req, res, next) => {
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    let saving = false;
    res.end = ((...args: unknown[]) => {
      const session = req.session;
      // Nothing of ours in it: an anonymous visit that express-session will not store either.
      const hasData = session && Object.keys(session).some((k) => k !== 'cookie');
      if (saving || !hasData || res.headersSent) return end(...args);
      saving = true;
      session.save((err) => {
        if (err) onError(err);
        end(...args);
      });
      return res;
    }) as typeof res.end;
    next();
  };
}
