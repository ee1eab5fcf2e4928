import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { createAjv } from '../common/json-schema-validation';
import { FORMATS, Format } from './formats';
import { TemplateEnvironment, createTemplateEnvironment } from './handlebars-env';
import { SchemaNode } from '../common/schema-node';
import { PROMOTIONAL_STAGES, Stage } from '../common/stages';
import { hasType } from './json-schema';
import { Kind, KindTemplate } from './kind';
import { RenderGroup, buildRenderContext, contextSchema } from './render-context';
import { RenderFailure, runTemplate } from './render';
import { checkTemplate } from './template-checker';
import { TemplateProblem, describeProblem } from './template-problem';

const KIND_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const PARTIALS = 'partials';

export class KindLoadError extends Error {
  constructor(
    readonly directory: string,
    readonly problems: TemplateProblem[],
  ) {
    super(`templates in ${directory} are broken:\n${problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}`);
    this.name = 'KindLoadError';
  }
}

function readPartials(directory: string): Map<string, string> {
  const folder = join(directory, PARTIALS);
  const partials = new Map<string, string>();
  if (!existsSync(folder)) return partials;
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.hbs'))) {
    partials.set(basename(file, '.hbs'), readFileSync(join(folder, file), 'utf8'));
  }
  return partials;
}

/**
 * The content kinds: one folder each under the templates directory with schema.json, text.hbs
 * and markdown.hbs. Every kind is checked when the service starts; a broken one stops the start.
 */
@Injectable()
export class KindRegistry implements OnModuleInit {
  private kinds = new Map<string, Kind>();
  private environment?: TemplateEnvironment;
  readonly ajv = createAjv();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.load(this.config.templatesDir);
  }

  get env(): TemplateEnvironment {
    if (!this.environment) throw new Error('kinds are not loaded yet');
    return this.environment;
  }

  get(name: string): Kind | undefined {
    return this.kinds.get(name);
  }

  /**
   * The one rule for what counts against a group's promotional cap: a post of a promotional stage
   * (trigger_need, close), or of a promotional kind (product picks) at any stage.
   */
  isPromotional(stage: Stage, kind: string | null): boolean {
    return PROMOTIONAL_STAGES.includes(stage) || (kind !== null && this.kinds.get(kind)?.promotional === true);
  }

  names(): string[] {
    return [...this.kinds.keys()].sort();
  }

  list(): Kind[] {
    return this.names().map((name) => this.kinds.get(name) as Kind);
  }

  /** The group used when a preview names none. */
  sampleGroup(): RenderGroup {
    return { name: '示例群', timezone: this.config.tzDefault, vars: {} };
  }

  load(directory: string): void {
    if (!existsSync(directory) || !statSync(directory).isDirectory()) {
      throw new KindLoadError(directory, [{ template: directory, message: 'templates folder does not exist' }]);
    }
    const env = createTemplateEnvironment(readPartials(directory), this.config.tzDefault);
    const problems: TemplateProblem[] = [];
    const kinds = new Map<string, Kind>();
    const folders = readdirSync(directory).filter(
      (entry) => entry !== PARTIALS && statSync(join(directory, entry)).isDirectory(),
    );
    for (const folder of folders) {
      const kind = this.loadKind(env, directory, folder, problems);
      if (kind) kinds.set(kind.name, kind);
    }
    if (folders.length === 0) problems.push({ template: directory, message: 'no kinds found' });
    if (problems.length > 0) throw new KindLoadError(directory, problems);
    this.environment = env;
    this.kinds = kinds;
  }

  private loadKind(env: TemplateEnvironment, directory: string, name: string, problems: TemplateProblem[]): Kind | undefined {
    const before = problems.length;
    if (!KIND_NAME.test(name)) {
      problems.push({ template: name, message: 'a kind folder name must be lower-case letters, digits and _' });
      return undefined;
    }
    const schema = this.readSchema(directory, name, problems);
    if (!schema) return undefined;
    let validate;
    try {
      validate = this.ajv.compile(schema);
    } catch (error) {
      problems.push({ template: `${name}/schema.json`, message: `invalid JSON Schema: ${(error as Error).message}` });
      return undefined;
    }
    const templates: Partial<Record<Format, KindTemplate>> = {};
    for (const format of FORMATS) {
      const file = `${name}/${format}.hbs`;
      const path = join(directory, file);
      if (!existsSync(path)) {
        problems.push({ template: file, message: 'missing' });
        continue;
      }
      const source = readFileSync(path, 'utf8');
      const found = checkTemplate(env, file, source, contextSchema(schema));
      problems.push(...found);
      if (found.length === 0) templates[format] = { file, source, render: env.compile(source) };
    }
    const example = schema.examples?.[0];
    if (example === undefined) {
      problems.push({ template: `${name}/schema.json`, message: 'needs an "examples" entry with sample fields' });
    } else if (!validate(example)) {
      problems.push({
        template: `${name}/schema.json`,
        message: `examples[0] does not match the schema: ${this.ajv.errorsText(validate.errors)}`,
      });
    }
    if (problems.length > before) return undefined;
    for (const format of FORMATS) {
      const sample = { kind: name, title: schema.title ?? name, fields: example as Record<string, unknown> };
      const context = buildRenderContext(sample, schema, this.sampleGroup(), { dueAt: new Date() }, format);
      try {
        runTemplate(templates[format]!.file, templates[format]!.render, context);
      } catch (error) {
        problems.push({ template: templates[format]!.file, message: `fails on examples[0]: ${(error as RenderFailure).message}` });
      }
    }
    if (problems.length > before) return undefined;
    return {
      name,
      label: schema.title ?? name,
      description: schema.description,
      promotional: schema['x-groupcast']?.promotional === true,
      schema,
      validate,
      templates: templates as Record<Format, KindTemplate>,
    };
  }

  private readSchema(directory: string, name: string, problems: TemplateProblem[]): SchemaNode | undefined {
    const file = `${name}/schema.json`;
    const path = join(directory, file);
    if (!existsSync(path)) {
      problems.push({ template: file, message: 'missing' });
      return undefined;
    }
    let schema: SchemaNode;
    try {
      schema = JSON.parse(readFileSync(path, 'utf8')) as SchemaNode;
    } catch (error) {
      problems.push({ template: file, message: `not valid JSON: ${(error as Error).message}` });
      return undefined;
    }
    if (!hasType(schema, 'object') || schema.additionalProperties !== false) {
      problems.push({ template: file, message: 'must be "type": "object" with "additionalProperties": false' });
      return undefined;
    }
    return schema;
  }
}
