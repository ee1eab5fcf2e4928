import { ParseIntPipe, ParseUUIDPipe, type INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ERROR_DESCRIPTIONS } from '../common/api-errors.decorator';

export interface Handler {
  /** The operationId Nest gives the handler: `Controller_method`. */
  operationId: string;
  controller: new (...args: unknown[]) => unknown;
  handler: (...args: unknown[]) => unknown;
}

/** Every route handler of the app's controllers. */
export function handlers(app: INestApplication): Handler[] {
  const found: Handler[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Handler['controller'] | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        found.push({ operationId: `${controller.name}_${name}`, controller, handler: handler as Handler['handler'] });
      }
    }
  }
  return found;
}

/** Nest's RouteParamtypes (not exported): the kinds of handler argument read here. */
const BODY = 3;
const PARAM = 5;

/** A handler's arguments as Nest records them: kind, position, the name given and the pipes. */
function routeArgs({
  controller,
  handler,
}: Handler): { kind: number; index: number; data?: unknown; pipes: unknown[] }[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<
    string,
    { index: number; data?: unknown; pipes?: unknown[] }
  >;
  // Nest keys a handler's arguments as `kind:index`; the kind says body, query, param or other.
  return Object.entries(args).map(([key, arg]) => ({
    ...arg,
    kind: Number(key.split(':')[0]),
    pipes: arg.pipes ?? [],
  }));
}

/** The schema of each path parameter a pipe checks (a UUID, a whole number), by operationId. */
export function pathParameterSchemas(app: INestApplication): Map<string, Map<string, SchemaObject>> {
  const schemas = new Map<string, Map<string, SchemaObject>>();
  for (const route of handlers(app)) {
    const params = new Map<string, SchemaObject>();
    for (const arg of routeArgs(route)) {
      if (arg.kind !== PARAM || typeof arg.data !== 'string') continue;
      for (const pipe of arg.pipes) {
        if (pipe instanceof ParseUUIDPipe) params.set(arg.data, { type: 'string', format: 'uuid' });
        if (pipe instanceof ParseIntPipe) params.set(arg.data, { type: 'integer', minimum: 1 });
      }
    }
    if (params.size > 0) schemas.set(route.operationId, params);
  }
  return schemas;
}

/** The classes of request bodies, by name: the pipe checks them, so they refuse unknown fields. */
export function bodyClasses(app: INestApplication): Set<string> {
  const names = new Set<string>();
  for (const route of handlers(app)) {
    const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype, route.handler.name) ?? []) as {
      name?: string;
    }[];
    for (const arg of routeArgs(route)) {
      const name = types[arg.index]?.name;
      if (arg.kind === BODY && name) names.add(name);
    }
  }
  return names;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export function operations(document: OpenAPIObject): { path: string; method: string; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
  );
}

const ERROR_REF = { $ref: `#/components/schemas/${ErrorBodyDto.name}` };

/** Error answers are described once, under components.responses, and referred to. */
function addError(document: OpenAPIObject, operation: OperationObject, status: number): void {
  if (operation.responses[status]) return;
  const name = `Error${status}`;
  document.components!.responses ??= {};
  document.components!.responses[name] ??= {
    description: ERROR_DESCRIPTIONS[status],
    content: { 'application/json': { schema: ERROR_REF } },
  };
  operation.responses[status] = { $ref: `#/components/responses/${name}` };
}

/** Drops schemas nothing refers to any more (one written out where it was nullable). */
function dropUnreferenced(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const count = (text: string, ref: string) => text.split(ref).length - 1;
  const text = JSON.stringify(document);
  for (const [name, schema] of Object.entries(schemas)) {
    const ref = `"#/components/schemas/${name}"`;
    // Referred to only from within itself (or not at all).
    if (count(text, ref) === count(JSON.stringify(schema), ref)) delete schemas[name];
  }
}

/** Every schema within a schema, itself first. */
function* within(schema: SchemaObject): Generator<SchemaObject> {
  yield schema;
  for (const child of [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ])
    if (!('$ref' in child)) yield* within(child);
}

/** A nullable enum lists null among its values (OpenAPI 3.0.3), wherever it is. */
function nullInNullableEnums(schema: SchemaObject): void {
  for (const node of within(schema)) if (node.nullable && node.enum && !node.enum.includes(null)) node.enum.push(null);
}

/** Numbers in answers are whole unless their DTO says `format: 'double'`. */
function wholeNumbers(schema: SchemaObject): void {
  for (const node of within(schema)) if (node.type === 'number' && !node.format) node.type = 'integer';
}

/**
 * Arrays carry their items' bounds in `items`, not beside them; and since OpenAPI 3.0 allows
 * `nullable` only beside a type, a nullable choice takes null in its first branch.
 */
function tidyProperties(schema: SchemaObject, schemas: Record<string, SchemaObject>): void {
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if ('$ref' in child) continue;
    // Nor may a reference be nullable (a null fails the allOf): the referred object is written out here.
    const only = child.allOf?.length === 1 ? (child.allOf[0] as { $ref?: string }).$ref : undefined;
    if (child.nullable && only) {
      const { allOf: _, ...rest } = child;
      schema.properties![name] = { ...schemas[only.split('/').pop()!], ...rest };
      continue;
    }
    if (child.oneOf && child.nullable && !child.type) {
      delete child.nullable;
      child.oneOf = child.oneOf.map((choice, i) => (i === 0 ? { ...choice, nullable: true } : choice));
    }
    if (child.type === 'array') {
      delete child.minimum;
      delete child.maximum;
      delete child.pattern;
      delete child.minLength;
      delete child.maxLength;
      delete child.enum;
      delete child.format;
    }
  }
}

/** The operation that reads one resource of a collection, by its path. */
function readOperation(document: OpenAPIObject, collection: string): string | undefined {
  return document.paths[`${collection}/{id}`]?.get?.operationId;
}

export interface StrictOptions {
  /** Schemas of classes the validation pipe checks: they refuse fields they do not name. */
  validated: Set<string>;
  pathParameters: Map<string, Map<string, SchemaObject>>;
  /** Roles that may call each operation; [] for a public one. */
  roles: Map<string, string[]>;
  allRoles: readonly string[];
  /** An example per request body, by its schema's name. */
  examples: Record<string, unknown>;
}

/**
 * Makes the generated document say what the service enforces and answers: path parameters'
 * formats, closed request bodies, whole numbers, every error status an operation can answer
 * (in the one error shape), and links from each create to its read.
 */
export function tightenDocument(document: OpenAPIObject, options: StrictOptions): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  for (const [name, schema] of Object.entries(schemas)) {
    if ('$ref' in schema) continue;
    tidyProperties(schema, schemas);
    nullInNullableEnums(schema);
    if (options.validated.has(name)) schema.additionalProperties = false;
    else wholeNumbers(schema);
  }
  for (const { path, method, operation } of operations(document)) {
    const id = operation.operationId ?? '';
    const formats = options.pathParameters.get(id);
    const parameters = (operation.parameters ?? []) as ParameterObject[];
    for (const parameter of parameters) {
      if (parameter.in === 'path' && formats?.has(parameter.name)) parameter.schema = formats.get(parameter.name);
    }
    const roles = options.roles.get(id) ?? ['admin'];
    if (parameters.length > 0 || operation.requestBody) addError(document, operation, 400);
    if (roles.length > 0) {
      addError(document, operation, 401);
      if (options.allRoles.some((role) => !roles.includes(role))) addError(document, operation, 403);
      addError(document, operation, 429);
    }
    if (parameters.some((p) => p.in === 'path')) addError(document, operation, 404);
    // A body that is not JSON (or in a charset or encoding the parser does not read), on any method.
    addError(document, operation, 415);
    // The database or Redis unreachable, or a statement past DB_STATEMENT_TIMEOUT_MS: any operation can.
    addError(document, operation, 503);
    // Node's HTTP parser answers it before any route: any operation can.
    addError(document, operation, 431);
    // The body parsers read a body whatever the method: one past BODY_LIMIT is refused on any operation.
    addError(document, operation, 413);
    if (operation.requestBody) {
      for (const media of Object.values((operation.requestBody as RequestBodyObject).content)) {
        const name = (media.schema as { $ref?: string } | undefined)?.$ref?.split('/').pop();
        if (name && options.examples[name] !== undefined) media.example = options.examples[name];
      }
    }
    if (method === 'post' && operation.responses['201'] && !path.includes('{')) {
      const read = readOperation(document, path);
      const created = operation.responses['201'] as { links?: Record<string, unknown> };
      if (read)
        created.links = {
          read: {
            operationId: read,
            parameters: { id: '$response.body#/id' },
            description: 'The resource just created.',
          },
        };
    }
  }
  dropUnreferenced(document);
}
