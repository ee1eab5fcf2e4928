import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { GROUP_ACTIVATED, GroupActivated } from '../groups/group-events';
import { PostLifecycle } from './post-lifecycle.service';

/** A group resumed: the posts held for its pause go now rather than at their next look. */
@Injectable()
export class GroupWake {
  constructor(private readonly lifecycle: PostLifecycle) {}

  @OnEvent(GROUP_ACTIVATED)
  async wake({ groupId }: GroupActivated): Promise<void> {
    await this.lifecycle.wakeGroup(groupId);
  }
}
