import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { KeyCheck } from '../auth/api-key.guard';
import { toErrorBody } from '../common/http-exception.filter';
import { AppConfig } from '../config/app-config';
import { WatchedQueues } from './watched-queues';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues: every post queue, the system queue and each external channel's
 * queue, for the admin key only (the API's own key check; a browser is asked for it by HTTP Basic,
 * the key as the password). Read-only unless QUEUE_BOARD_WRITE.
 */
export function mountQueueBoard(app: NestExpressApplication, config: AppConfig): void {
  const keys = app.get(KeyCheck);
  const watched = app.get(WatchedQueues);
  const server = new ExpressAdapter();
  server.setBasePath(QUEUE_BOARD_PATH);
  const board = createBullBoard({
    queues: [],
    serverAdapter: server,
    options: { uiConfig: { boardTitle: 'groupcast queues' } },
  });
  let shown = '';

  const adminOnly = (req: Request, res: Response, next: NextFunction) => {
    keys.check(req, res, [], { basic: true }).then(
      () => next(),
      (error: unknown) => {
        const body = toErrorBody(error);
        if (!body) return next(error);
        if (body.statusCode === 401)
          res.setHeader('WWW-Authenticate', 'Basic realm="groupcast queues", charset="UTF-8"');
        res.status(body.statusCode).json(body);
      },
    );
  };

  /** External channels come and go: the board follows the channels table when its page or queue list is asked for (not for each asset). */
  const current = (req: Request, _res: Response, next: NextFunction) => {
    if (req.path !== '/' && !req.path.startsWith('/api/queues')) return next();
    watched.all().then((queues) => {
      const names = queues.map((q) => q.name).join(',');
      if (names !== shown) {
        board.replaceQueues(queues.map((q) => new BullMQAdapter(q, { readOnlyMode: !config.queueBoardWrite })));
        shown = names;
      }
      next();
    }, next);
  };

  app.use(QUEUE_BOARD_PATH, adminOnly, current, server.getRouter());
}
