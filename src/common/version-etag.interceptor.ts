import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';

/**
 * Answers a resource that has a `version` with `ETag: "<version>"`, the value If-Match takes back
 * (strong or weak). Express's own body-hash ETags are off: they would not match any version.
 */
@Injectable()
export class VersionEtag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      tap((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        if (Number.isInteger(version))
          context
            .switchToHttp()
            .getResponse<Response>()
            .setHeader('ETag', `"${version as number}"`);
      }),
    );
  }
}
