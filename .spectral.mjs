// The OpenAPI document's lint (`npm run lint`): Spectral's OpenAPI rules and the contract's own.
import { oas } from '@stoplight/spectral-rulesets';
import { createRulesetFunction } from '@stoplight/spectral-core';
import { truthy } from '@stoplight/spectral-functions';

const ROLES = ['admin', 'editor', 'planner', 'viewer', 'integration'];

const idIsUuid = createRulesetFunction({ input: null, options: null }, (parameter) => {
  if (parameter?.in !== 'path' || !/^id$|Id$/.test(parameter.name ?? '')) return [];
  return parameter.schema?.format === 'uuid'
    ? []
    : [{ message: `path parameter "${parameter.name}" is an id: its schema must say format: uuid` }];
});

const errorStatuses = createRulesetFunction({ input: null, options: null }, (operation) => {
  const statuses = Object.keys(operation?.responses ?? {});
  const roles = operation?.['x-roles'] ?? [];
  const needed = [
    ...((operation?.parameters ?? []).length > 0 || operation?.requestBody ? ['400'] : []),
    ...(roles.length > 0 ? ['401'] : []),
    ...(roles.length > 0 && ROLES.some((role) => !roles.includes(role)) ? ['403'] : []),
  ];
  return needed
    .filter((status) => !statuses.includes(status))
    .map((status) => ({ message: `the operation can answer ${status} but does not list it` }));
});

const wholeOrSaid = createRulesetFunction({ input: null, options: null }, (schema) =>
  schema?.type === 'number' && !['double', 'float'].includes(schema.format)
    ? [{ message: 'a number must be type integer, or say format: double where fractions are accepted' }]
    : [],
);

const closedBody = createRulesetFunction({ input: null, options: null }, (schema) =>
  schema && schema.type === 'object' && schema.additionalProperties !== false
    ? [{ message: 'a request body refuses unknown fields: its schema must say additionalProperties: false' }]
    : [],
);

export default {
  extends: [oas],
  rules: {
    'info-contact': 'off',
    'groupcast-id-is-uuid': {
      message: '{{error}}',
      description: 'Every id in a path is a UUID.',
      severity: 'error',
      given: '$.paths[*][*].parameters[*]',
      then: { function: idIsUuid },
    },
    'groupcast-error-statuses': {
      message: '{{error}}',
      description: 'Every operation lists 400, 401 and 403 where it can answer them.',
      severity: 'error',
      given: '$.paths[*][get,put,post,patch,delete]',
      then: { function: errorStatuses },
    },
    'groupcast-whole-numbers': {
      message: '{{error}}',
      description: 'No number where only whole numbers are accepted or given.',
      severity: 'error',
      given: '$..[?(@ && @.type === "number")]',
      then: { function: wholeOrSaid },
    },
    'groupcast-closed-bodies': {
      message: '{{error}}',
      description: 'Request bodies refuse unknown fields, and say so.',
      severity: 'error',
      given: '$.paths[*][*].requestBody.content[*].schema',
      then: { function: closedBody },
    },
    'groupcast-body-examples': {
      description: 'Every request body has an example.',
      severity: 'error',
      given: '$.paths[*][*].requestBody.content[*]',
      then: { field: 'example', function: truthy },
    },
  },
};
