export const STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'] as const;
export type Stage = (typeof STAGES)[number];

/** Stages that count against a group's promotional cap (with product picks of any stage). */
export const PROMOTIONAL_STAGES: readonly Stage[] = ['trigger_need', 'close'];
