import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AuthFailures } from './auth-failures';
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
  private readonly failures: AuthFailures;

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.failures = new AuthFailures(config.authFailuresPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === PUBLIC_ROUTE) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new DomainError('unauthorized', 'missing API key: send Authorization: Bearer <key>');
    const client = request.ip ?? 'unknown';
    const waitMs = this.failures.waitMs(client);
    // A client over its budget of unknown keys is only let in by a key this process already knows.
    const principal = await this.apiKeys.authenticate(token, waitMs > 0);
    if (!principal && waitMs > 0) {
      context
        .switchToHttp()
        .getResponse<Response>()
        .setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
      throw new HttpException(
        'too many unknown API keys from this address; retry after the time in Retry-After',
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (!principal) {
      this.failures.record(client);
      throw new DomainError('unauthorized', 'unknown API key');
    }
    request.principal = principal;
    if (principal.role !== 'admin' && !(access ?? []).includes(principal.role)) {
      throw new DomainError(
        'forbidden',
        `role ${principal.role} may not ${request.method} ${request.route?.path ?? request.path}`,
      );
    }
    return true;
  }
}
