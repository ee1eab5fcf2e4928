export const API_ROLES = ['admin', 'editor', 'planner', 'viewer'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface Principal {
  keyId: string;
  role: ApiRole;
}
