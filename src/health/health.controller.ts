import { Controller, Get, applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/error-body.dto';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/access.decorator';
import { RedisHealthIndicator } from './redis.health';

/**
 * A health check as terminus makes it (never cached), documented here: its 503 comes in the one
 * error shape, its details naming what is down, not in terminus's own body.
 */
const Check = () =>
  applyDecorators(
    HealthCheck({ noCache: true, swaggerDocumentation: false }),
    ApiOkResponse({
      description: 'ready: each check and its status',
      schema: {
        type: 'object',
        required: ['status'],
        properties: {
          status: { type: 'string', enum: ['ok'] },
          info: { type: 'object', additionalProperties: { type: 'object' } },
          error: { type: 'object', additionalProperties: { type: 'object' } },
          details: { type: 'object', additionalProperties: { type: 'object' } },
        },
      },
    }),
    ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'not ready: details name what is down' }),
  );

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mysql: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** Readiness: MySQL and Redis answer. 503 when either does not. */
  @Get()
  @Check()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.mysql.pingCheck('mysql', { timeout: 3000 }), () => this.redis.check('redis')]);
  }

  /** Liveness: the process answers HTTP. */
  @Get('live')
  @Check()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }
}
