import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AuthFailures } from './auth-failures';
import { DomainError } from '../common/domain-error';
import { ACCESS_METADATA, Access, PUBLIC_ROUTE } from './access.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiRole, Principal } from './roles';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * The key a request presents: `Authorization: Bearer <key>`, or, where a browser must ask for it
 * itself (Bull Board), HTTP Basic with the key as the password.
 */
export function presentedKey(request: Request, basic = false): string | undefined {
  const header = request.headers.authorization;
  const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (bearer) return bearer[1];
  const pair = basic && header ? /^Basic\s+(\S+)\s*$/i.exec(header) : null;
  if (!pair) return undefined;
  const decoded = Buffer.from(pair[1], 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) || undefined;
}

/** Why no key was found in what the request sent, and what to send instead. */
function missingKeyMessage(header: string | undefined): string {
  if (header === undefined || header.trim() === '') return 'missing API key: send Authorization: Bearer <key>';
  if (/^Bearer\s*$/i.test(header)) return 'the Authorization header names no key: send Authorization: Bearer <key>';
  if (/^Bearer\s+\S+\s+\S/i.test(header))
    return 'the Authorization header holds more than one token: send exactly one, Authorization: Bearer <key>';
  return 'the Authorization header is not a bearer key: send Authorization: Bearer <key>';
}

/**
 * Who a request's key belongs to and whether the role may do what it asks; unknown keys from one
 * address are counted, and past their budget an unknown key is a 429 while a valid one still gets in.
 */
@Injectable()
export class KeyCheck {
  private readonly failures: AuthFailures;

  constructor(
    private readonly apiKeys: ApiKeysService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.failures = new AuthFailures(config.authFailuresPerMinute);
  }

  /** The request's principal, or the 401/403/429 that says why not. */
  async check(
    request: AuthenticatedRequest,
    response: Response,
    allowed: readonly ApiRole[],
    { basic = false } = {},
  ): Promise<Principal> {
    const token = presentedKey(request, basic);
    if (!token) throw new DomainError('unauthorized', missingKeyMessage(request.headers.authorization));
    const client = request.ip ?? 'unknown';
    const waitMs = this.failures.waitMs(client);
    const principal = await this.apiKeys.authenticate(token, waitMs > 0);
    if (!principal && waitMs > 0) {
      response.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
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
    if (principal.role !== 'admin' && !allowed.includes(principal.role)) {
      throw new DomainError(
        'forbidden',
        `role ${principal.role} may not ${request.method} ${request.route?.path ?? request.baseUrl + request.path}`,
      );
    }
    return principal;
  }
}

/** Every route needs a key unless marked @Public; a route with no access metadata is admin-only. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: KeyCheck,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (access === PUBLIC_ROUTE) return true;
    const http = context.switchToHttp();
    await this.keys.check(http.getRequest<AuthenticatedRequest>(), http.getResponse<Response>(), access ?? []);
    return true;
  }
}
