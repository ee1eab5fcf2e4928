import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { ErrorDetail } from './domain-error';
import { isValidTimezone } from './timezones';

/** One Ajv set-up for every JSON Schema we check: content fields, channel config, addresses. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  // Content links go into chats that people click: `javascript:`, `data:` and the like are URIs too, but never ours.
  ajv.addFormat('uri', {
    type: 'string',
    validate: (value: string) => /^https?:\/\//i.test(value) && (fullFormats.uri as (s: string) => boolean)(value),
  });
  ajv.addFormat('timezone', { type: 'string', validate: isValidTimezone });
  ajv.addVocabulary(['x-groupcast']);
  return ajv;
}

/** Ajv errors as details naming each field under `prefix`, e.g. `fields.headlines[0].title`. */
export function schemaErrorDetails(
  errors: ErrorObject[] | null | undefined,
  prefix: string,
  owner: string,
): ErrorDetail[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`))
      .join('');
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    if (error.keyword === 'required')
      return { field: `${prefix}${path}.${params.missingProperty}`, message: 'is required' };
    if (error.keyword === 'additionalProperties') {
      return { field: `${prefix}${path}.${params.additionalProperty}`, message: `is not a field of ${owner}` };
    }
    const format = error.keyword === 'format' ? (error.params as { format?: string }).format : undefined;
    if (format === 'uri') return { field: `${prefix}${path}`, message: 'must be an http:// or https:// URL' };
    if (format === 'timezone')
      return { field: `${prefix}${path}`, message: 'must be an IANA time zone, e.g. Asia/Shanghai' };
    return { field: `${prefix}${path}`, message: error.message ?? error.keyword };
  });
}
