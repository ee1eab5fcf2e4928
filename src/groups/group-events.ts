/** A paused or archived group became active: posts held for it may go now. */
export const GROUP_ACTIVATED = 'group.activated';

export interface GroupActivated {
  groupId: string;
}
