import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CHANNEL_ENABLED, ChannelEnabled, GROUP_ACTIVATED, GroupActivated } from '../groups/group-events';
import { PostFollowers } from './lifecycle/post-followers.service';

/** A group resumed or a channel enabled: the posts held for that go now rather than at their next look. */
@Injectable()
export class GroupWake {
  constructor(private readonly lifecycle: PostFollowers) {}

  @OnEvent(GROUP_ACTIVATED)
  async wake({ groupId }: GroupActivated): Promise<void> {
    await this.lifecycle.wakeGroup(groupId);
  }

  @OnEvent(CHANNEL_ENABLED)
  async wakeChannel({ channelId }: ChannelEnabled): Promise<void> {
    await this.lifecycle.wakeChannel(channelId);
  }
}
