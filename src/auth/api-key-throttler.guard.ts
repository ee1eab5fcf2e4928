import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { presentedKey } from './api-key.guard';
import { hashApiKey } from './api-keys.service';

/**
 * Limits each API key separately, one budget for all its routes; requests without a key share
 * their client address's budget.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected async getTracker(request: Request): Promise<string> {
    const token = presentedKey(request);
    return token ? `key:${hashApiKey(token)}` : `ip:${request.ip}`;
  }

  protected generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }
}
