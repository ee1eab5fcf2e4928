/** `integration`: a shop's backend, which may only report orders. */
export const API_ROLES = ['admin', 'editor', 'planner', 'viewer', 'integration'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface Principal {
  keyId: string;
  role: ApiRole;
}
