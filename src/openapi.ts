import { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ACCESS_METADATA, Access, PUBLIC_ROUTE } from './auth/access.decorator';

/** Which roles may call each handler, by the operationId Nest gives it (`Controller_method`). */
function rolesByOperation(app: INestApplication): Map<string, string[]> {
  const reflector = app.get(Reflector);
  const roles = new Map<string, string[]>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const access = reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [handler, controller]);
        roles.set(
          `${controller.name}_${name}`,
          access === PUBLIC_ROUTE ? [] : ['admin', ...(access ?? []).filter((r) => r !== 'admin')],
        );
      }
    }
  }
  return roles;
}

const humanize = (operationId: string) => {
  const [controller, method] = operationId.split('_');
  return `${method.replace(/([A-Z])/g, ' $1').toLowerCase()} (${controller.replace(/Controller$/, '').toLowerCase()})`;
};

/** The OpenAPI document, every operation with a summary, a description and the roles that may call it (`x-roles`). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('groupcast')
      .setDescription(
        'Content and campaign scheduler for chat-group communities. Send `Authorization: Bearer <API key>`.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque API key (gck_…)',
        description: 'An API key from POST /v1/api-keys, or ADMIN_API_KEY',
      })
      .build(),
  );
  const roles = rolesByOperation(app);
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as {
      operationId?: string;
      summary?: string;
      description?: string;
      'x-roles'?: string[];
    }[]) {
      if (!operation?.operationId) continue;
      const allowed = roles.get(operation.operationId) ?? ['admin'];
      const who = allowed.length === 0 ? 'Public: no API key needed.' : `Roles: ${allowed.join(', ')}.`;
      operation.summary ??= operation.description?.split(/(?<=\.)\s/)[0] ?? humanize(operation.operationId);
      operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
      operation['x-roles'] = allowed;
    }
  }
  return document;
}
