import { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_ROLES } from '../auth/roles';
import { bodyClasses, handlers, pathParameterSchemas, tightenDocument } from './strict-document';
import { REQUEST_EXAMPLES } from './request-examples';
import { documentValidators, validatedClasses } from './validator-schemas';
import { ACCESS_METADATA, Access, PUBLIC_ROUTE } from '../auth/access.decorator';

/** Which roles may call each handler, by its operationId; [] for a public one. */
function rolesByOperation(app: INestApplication): Map<string, string[]> {
  const reflector = app.get(Reflector);
  const roles = new Map<string, string[]>();
  for (const { operationId, controller, handler } of handlers(app)) {
    const access = reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [handler, controller]);
    roles.set(operationId, access === PUBLIC_ROUTE ? [] : ['admin', ...(access ?? []).filter((r) => r !== 'admin')]);
  }
  return roles;
}

/** What each group of operations is for, in the order a reader meets them. */
const TAGS: [string, string][] = [
  ['content', 'Content pieces, their revisions and previews'],
  ['channels', 'Where groups are reached: robots, bots, webhooks and gateways'],
  ['groups', 'The chat groups posts go to'],
  ['campaigns', 'Five-stage campaigns and their plans'],
  ['runs', 'Campaigns launched to an audience'],
  ['routines', 'Daily and weekly routines'],
  ['posts', 'Each post to each group, and what happened to it'],
  ['welcomes', 'Welcome pieces as WeCom welcome templates'],
  ['owners', 'Staff who confirm WeCom customer groups’ mass messages: their tasks and reminders'],
  ['calendar', 'Posts by group and local day'],
  ['policies', 'Pacing: gaps, caps, quiet hours, blackout dates'],
  ['funnels', 'Sent → clicks → orders'],
  ['conversions', 'Orders reported by shops'],
  ['api-keys', 'Keys and their roles'],
  ['health', 'Liveness and readiness'],
];

const humanize = (operationId: string) => {
  const [controller, method] = operationId.split('_');
  return `${method.replace(/([A-Z])/g, ' $1').toLowerCase()} (${controller.replace(/Controller$/, '').toLowerCase()})`;
};

/** The OpenAPI document, every operation with a summary, a description and the roles that may call it (`x-roles`). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  documentValidators();
  const builder = new DocumentBuilder();
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(
    app,
    builder
      .setTitle('groupcast')
      .setDescription(
        'Content and campaign scheduler for chat-group communities. Send `Authorization: Bearer <API key>`.',
      )
      .setVersion('1')
      .addServer('/', 'This service')
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
  tightenDocument(document, {
    validated: new Set([...validatedClasses.keys(), ...bodyClasses(app)]),
    pathParameters: pathParameterSchemas(app),
    roles,
    allRoles: API_ROLES,
    examples: REQUEST_EXAMPLES,
  });
  return document;
}
