import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import { ACCESS_METADATA, Access, PUBLIC_ROUTE } from './access.decorator';
import { ApiKeysService } from './api-keys.service';
import { Principal } from './roles';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

export function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Every route needs a key unless marked @Public; a route with no access metadata is admin-only. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === PUBLIC_ROUTE) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new DomainError('unauthorized', 'missing API key: send Authorization: Bearer <key>');
    const principal = await this.apiKeys.authenticate(token);
    if (!principal) throw new DomainError('unauthorized', 'unknown API key');
    request.principal = principal;
    if (principal.role !== 'admin' && !(access ?? []).includes(principal.role)) {
      throw new DomainError('forbidden', `role ${principal.role} may not ${request.method} ${request.route?.path ?? request.path}`);
    }
    return true;
  }
}
