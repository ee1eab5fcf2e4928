import type { ValidateFunction } from 'ajv';
import { Format } from './formats';
import { SchemaNode } from '../common/schema-node';

export interface KindTemplate {
  /** Path relative to the templates folder, for messages. */
  file: string;
  source: string;
  render: HandlebarsTemplateDelegate;
}

export interface Kind {
  name: string;
  /** The schema's title, e.g. 早报. */
  label: string;
  description?: string;
  /** Counts against a group's promotional cap. */
  promotional: boolean;
  schema: SchemaNode;
  validate: ValidateFunction;
  templates: Record<Format, KindTemplate>;
}
