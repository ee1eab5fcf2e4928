import { createContext, useContext } from 'react';
import type { Role } from './api';

export interface Me {
  keyId: string;
  role: Role;
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('no signed-in key');
  return me;
}

/** Whether the key may change things (retry, cancel, pause, launch, resume); a viewer only looks. */
export function useCanAct(): boolean {
  const { role } = useMe();
  return role === 'admin' || role === 'planner';
}

/** Whether the key may write content (editors and admins). */
export function useCanWrite(): boolean {
  const { role } = useMe();
  return role === 'admin' || role === 'editor';
}

/** Whether the key may read groups (an editor previews for the sample group only). */
export function useCanSeeGroups(): boolean {
  return useMe().role !== 'editor';
}

export type PageName =
  'calendar' | 'runs' | 'campaigns' | 'plan' | 'inbox' | 'owners' | 'content' | 'routines' | 'groups' | 'channels';

/** The pages a role can use: each page calls only routes the role may call. */
export function pagesFor(role: Role): PageName[] {
  if (role === 'editor') return ['content'];
  if (role === 'viewer')
    return ['calendar', 'runs', 'campaigns', 'inbox', 'owners', 'content', 'routines', 'groups', 'channels'];
  if (role === 'integration') return [];
  return ['calendar', 'runs', 'campaigns', 'plan', 'inbox', 'owners', 'content', 'routines', 'groups', 'channels'];
}
