// Refuses a JSON body nested deeper than MAX_BODY_DEPTH before anything else reads it (422, one message).
import type { RequestHandler } from 'express';
import { MAX_BODY_DEPTH, nestsDeeperThan } from '../lib/body-depth';
import { ValidationError } from '../lib/errors';

export function limitBodyDepth(max: number = MAX_BODY_DEPTH): RequestHandler {
  return (req, _res, next) => {
    if (nestsDeeperThan(req.body, max)) return next(new ValidationError({ _form: 'validation.too_deep' }));
    next();
  };
}
