import { SetMetadata } from '@nestjs/common';
import { ApiRole } from './roles';

export const ACCESS_METADATA = 'groupcast:access';
export const PUBLIC_ROUTE = 'public';

export type Access = ApiRole[] | typeof PUBLIC_ROUTE;

/** Roles allowed on a route besides admin, which may do everything. */
export const Allow = (...roles: ApiRole[]) => SetMetadata(ACCESS_METADATA, roles);
/** Any valid key. */
export const AnyRole = () => SetMetadata(ACCESS_METADATA, ['admin', 'editor', 'planner', 'viewer'] satisfies ApiRole[]);
/** No key needed (health, docs). */
export const Public = () => SetMetadata(ACCESS_METADATA, PUBLIC_ROUTE);
