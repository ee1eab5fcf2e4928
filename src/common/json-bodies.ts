import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './error-body';

/**
 * The API reads JSON only. A body sent as anything else (curl's `-d` sends a form) gets 415 and
 * what to send, rather than the whole body reported back as one unknown field.
 */
export function jsonBodiesOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE' || req.method === 'OPTIONS')
    return next();
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || req.is(['application/json', 'application/*+json'])) return next();
  const sent = req.headers['content-type'] ?? 'no Content-Type';
  res
    .status(415)
    .json(errorBody(415, `the body must be JSON: send Content-Type: application/json (this request sent ${sent})`));
}
