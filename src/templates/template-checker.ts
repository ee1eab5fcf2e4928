import type Handlebars from 'handlebars';
import { SchemaNode } from '../common/schema-node';
import { elementSchema, propertySchema } from './json-schema';
import { TemplateProblem } from './template-problem';
import { RENDER_LIMITS } from './render-budget';

type Node = hbs.AST.Node;
type Path = hbs.AST.PathExpression;
type Expression = hbs.AST.Expression;

interface Scope {
  schema: SchemaNode;
  names: Record<string, SchemaNode>;
}

interface ParseFailure {
  message: string;
  hash?: { line?: number; token?: string | null; expected?: string[]; loc?: { first_line: number; first_column: number } };
}

const ANY: SchemaNode = {};
const DATA_VARIABLES = new Set(['index', 'key', 'first', 'last']);
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const MAX_PARTIAL_DEPTH = 8;

export interface CheckerEnvironment {
  handlebars: typeof Handlebars;
  helpers: ReadonlySet<string>;
  partials: ReadonlyMap<string, string>;
}

const TOKEN_NAMES: Record<string, string> = {
  EOF: 'end of template',
  INVALID: 'an invalid character',
  CLOSE: '}}',
  OPEN: '{{',
  OPEN_ENDBLOCK: '{{/',
  ID: 'a name',
};

function syntaxMessage(failure: ParseFailure): string {
  const token = failure.hash?.token;
  if (!token) return String(failure.message).split('\n')[0];
  const expected = (failure.hash?.expected ?? []).map((e) => e.replace(/'/g, '')).map((e) => TOKEN_NAMES[e] ?? e);
  const wanted = expected.length > 0 && expected.length <= 4 ? `; expected ${expected.join(' or ')}` : '';
  return `unexpected ${TOKEN_NAMES[token] ?? token}${wanted}`;
}

/** Parses a template; a syntax error comes back as a problem with its position. */
export function parseTemplate(
  env: CheckerEnvironment,
  template: string,
  source: string,
): { program?: hbs.AST.Program; problems: TemplateProblem[] } {
  try {
    return { program: env.handlebars.parse(source), problems: [] };
  } catch (error) {
    const failure = error as ParseFailure;
    const loc = failure.hash?.loc;
    const line = loc ? loc.first_line : failure.hash?.line !== undefined ? failure.hash.line + 1 : undefined;
    return {
      problems: [{ template, message: `syntax error: ${syntaxMessage(failure)}`, line, column: loc ? loc.first_column + 1 : undefined }],
    };
  }
}

/**
 * Walks a template and reports, with positions, every helper we do not register and every
 * variable that the render context (the kind's fields, the group, the post) does not declare.
 */
export function checkTemplate(
  env: CheckerEnvironment,
  template: string,
  source: string,
  context: SchemaNode,
): TemplateProblem[] {
  const { program, problems } = parseTemplate(env, template, source);
  if (!program) return problems;
  const walker = new Walker(env, context);
  walker.program(template, program, [{ schema: context, names: {} }], 0);
  return walker.problems;
}

class Walker {
  readonly problems: TemplateProblem[] = [];
  /** `each` blocks around the statement being walked, through partials. */
  private loops = 0;

  constructor(
    private readonly env: CheckerEnvironment,
    private readonly root: SchemaNode,
  ) {}

  program(template: string, program: hbs.AST.Program | undefined, scopes: Scope[], depth: number): void {
    for (const statement of program?.body ?? []) this.statement(template, statement, scopes, depth);
  }

  private report(template: string, node: Node, message: string): void {
    this.problems.push({ template, message, line: node.loc?.start.line, column: (node.loc?.start.column ?? 0) + 1 });
  }

  private statement(template: string, node: hbs.AST.Statement, scopes: Scope[], depth: number): void {
    switch (node.type) {
      case 'MustacheStatement':
        this.call(template, node as hbs.AST.MustacheStatement, scopes);
        return;
      case 'BlockStatement':
        this.block(template, node as hbs.AST.BlockStatement, scopes, depth);
        return;
      case 'PartialStatement':
        this.partial(template, node as hbs.AST.PartialStatement, scopes, depth);
        return;
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        this.report(template, node, `${node.type} is not supported in groupcast templates`);
        return;
      default:
        return;
    }
  }

  private isHelperCall(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression): boolean {
    const path = node.path as Path;
    return (
      node.params.length > 0 ||
      (node.hash?.pairs.length ?? 0) > 0 ||
      node.type === 'SubExpression' ||
      (path.type === 'PathExpression' && path.parts.length === 1 && !path.data && this.env.helpers.has(path.parts[0]))
    );
  }

  private call(template: string, node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scopes: Scope[]): void {
    const path = node.path as Path;
    if (path.type !== 'PathExpression') return;
    if (!this.isHelperCall(node)) {
      this.resolve(template, path, scopes);
      return;
    }
    if (!this.env.helpers.has(path.original)) this.report(template, path, `unknown helper "${path.original}"`);
    this.expressions(template, node.params, node.hash, scopes);
  }

  private expressions(template: string, params: Expression[], hash: hbs.AST.Hash | undefined, scopes: Scope[]): void {
    for (const value of [...params, ...(hash?.pairs.map((p) => p.value) ?? [])]) this.expression(template, value, scopes);
  }

  private expression(template: string, node: Expression, scopes: Scope[]): SchemaNode | undefined {
    if (node.type === 'PathExpression') return this.resolve(template, node as Path, scopes);
    if (node.type === 'SubExpression') this.call(template, node as hbs.AST.SubExpression, scopes);
    return ANY;
  }

  private block(template: string, node: hbs.AST.BlockStatement, scopes: Scope[], depth: number): void {
    const name = (node.path as Path).original;
    if (!BLOCK_HELPERS.has(name)) {
      this.report(template, node.path, `unknown block helper "${name}"`);
      return;
    }
    const subject = node.params[0] ? this.expression(template, node.params[0], scopes) : undefined;
    this.expressions(template, node.params.slice(1), node.hash, scopes);
    let inner = scopes;
    if ((name === 'each' || name === 'with') && subject) {
      const schema = name === 'each' ? elementSchema(subject) : subject;
      const [itemName, indexName] = node.program.blockParams ?? [];
      const names: Record<string, SchemaNode> = {};
      if (itemName) names[itemName] = schema;
      if (indexName) names[indexName] = ANY;
      inner = [...scopes, { schema, names }];
    }
    if (name === 'each' && this.loops >= RENDER_LIMITS.loopDepth) {
      // Loops multiply: a few lists nested deep render millions of lines.
      this.report(template, node, `{{#each}} blocks nest more than ${RENDER_LIMITS.loopDepth} deep (the limit)`);
    } else {
      const loop = name === 'each' ? 1 : 0;
      this.loops += loop;
      this.program(template, node.program, inner, depth);
      this.loops -= loop;
    }
    this.program(template, node.inverse, scopes, depth);
  }

  private partial(template: string, node: hbs.AST.PartialStatement, scopes: Scope[], depth: number): void {
    const name = (node.name as Path).original;
    const source = this.env.partials.get(name);
    if (source === undefined) {
      this.report(template, node, `unknown partial "${name}"`);
      return;
    }
    let inner = scopes;
    const context = node.params[0] ? this.expression(template, node.params[0], scopes) : undefined;
    const hashNames = Object.fromEntries((node.hash?.pairs ?? []).map((pair) => [pair.key, ANY]));
    this.expressions(template, [], node.hash, scopes);
    if (context || Object.keys(hashNames).length > 0) {
      inner = [...scopes, { schema: context ?? scopes[scopes.length - 1].schema, names: hashNames }];
    }
    if (depth >= MAX_PARTIAL_DEPTH) {
      this.report(template, node, `partial "${name}" nests deeper than ${MAX_PARTIAL_DEPTH}`);
      return;
    }
    const file = `partials/${name}.hbs`;
    const parsed = parseTemplate(this.env, file, source);
    this.problems.push(...parsed.problems);
    this.program(file, parsed.program, inner, depth + 1);
  }

  private resolve(template: string, path: Path, scopes: Scope[]): SchemaNode | undefined {
    let parts = path.parts;
    let schema: SchemaNode | undefined;
    if (path.data) {
      if (parts[0] === 'root') {
        schema = this.root;
        parts = parts.slice(1);
      } else if (DATA_VARIABLES.has(parts[0])) {
        return ANY;
      } else {
        this.report(template, path, `unknown data variable "${path.original}"`);
        return undefined;
      }
    } else {
      const index = scopes.length - 1 - path.depth;
      if (index < 0) {
        this.report(template, path, `"${path.original}" climbs above the template's root`);
        return undefined;
      }
      const named = path.depth === 0 && parts.length > 0 ? this.blockParam(scopes, parts[0]) : undefined;
      if (named) {
        schema = named;
        parts = parts.slice(1);
      } else {
        schema = scopes[index].schema;
      }
    }
    for (const part of parts) {
      schema = propertySchema(schema, part);
      if (!schema) {
        this.report(template, path, `unknown variable "${path.original}"`);
        return undefined;
      }
    }
    return schema;
  }

  private blockParam(scopes: Scope[], name: string): SchemaNode | undefined {
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (scopes[i].names[name]) return scopes[i].names[name];
    }
    return undefined;
  }
}
