/** A paused or archived group became active: posts held for it may go now. */
export const GROUP_ACTIVATED = 'group.activated';

export interface GroupActivated {
  groupId: string;
}

/** A disabled channel was enabled again: posts held for it may go now. */
export const CHANNEL_ENABLED = 'channel.enabled';

export interface ChannelEnabled {
  channelId: string;
}
