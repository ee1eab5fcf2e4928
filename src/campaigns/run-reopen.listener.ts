import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { POST_RETRIED, PostRetried } from '../posts/post-events';
import { RunLifecycle } from './run-lifecycle.service';

/** A post retried by an operator: its run, if it had completed, runs again for it. */
@Injectable()
export class RunReopen {
  constructor(private readonly lifecycle: RunLifecycle) {}

  @OnEvent(POST_RETRIED)
  async reopen({ runId }: PostRetried): Promise<void> {
    if (runId !== null) await this.lifecycle.reopen(runId);
  }
}
