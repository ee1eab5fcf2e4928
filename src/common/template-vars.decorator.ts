import { ValidateBy, ValidationArguments } from 'class-validator';
import { subfieldMessages } from './validation';

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_VARS = 50;
const MAX_VAR_LENGTH = 500;

/** What is wrong with a map of template variables, each under the variable's name ('' for the map). */
export function templateVarProblems(value: unknown): [string, string][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [['', 'must be an object']];
  const entries = Object.entries(value);
  const problems: [string, string][] = [];
  if (entries.length > MAX_VARS) problems.push(['', `at most ${MAX_VARS} variables`]);
  for (const [name, v] of entries) {
    if (!VAR_NAME.test(name)) problems.push([name, 'a name must be letters, digits and _']);
    else if (typeof v !== 'string' || v.length > MAX_VAR_LENGTH) {
      problems.push([name, `must be a string of at most ${MAX_VAR_LENGTH} characters`]);
    }
  }
  return problems;
}

/** Variables a template reads as {{group.vars.name}}: names of letters, digits and _, short string values. */
export const IsTemplateVars = () =>
  ValidateBy({
    name: 'isTemplateVars',
    validator: {
      validate: (value: unknown) => templateVarProblems(value).length === 0,
      defaultMessage: (args?: ValidationArguments) => subfieldMessages(templateVarProblems(args?.value)),
    },
  });
