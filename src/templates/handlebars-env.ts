import Handlebars from 'handlebars';
import { createHelpers, BUILTIN_HELPERS } from './helpers';
import { CheckerEnvironment } from './template-checker';
import { spendIteration, spendOutput } from './render-budget';

interface ParserWithErrors {
  parseError: (message: string, hash: unknown) => never;
}

// Handlebars' generated parser throws a bare Error; keep the position it knows about.
(Handlebars as unknown as { Parser: ParserWithErrors }).Parser.parseError = (message, hash) => {
  throw Object.assign(new Error(message), { hash });
};

export const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  noEscape: true,
  knownHelpersOnly: true,
  preventIndent: true,
};

export interface TemplateEnvironment extends CheckerEnvironment {
  compile(source: string): HandlebarsTemplateDelegate;
}

/** Handlebars' own `each`, with every iteration and its text counted against the render budget. */
function countedEach(handlebars: typeof Handlebars): Handlebars.HelperDelegate {
  const each = handlebars.helpers.each;
  return function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
    const body = options.fn;
    const fn = ((value: unknown, runtime?: Handlebars.RuntimeOptions) => {
      spendIteration();
      const text = body(value, runtime);
      spendOutput(text.length);
      return text;
    }) as Handlebars.TemplateDelegate;
    return each.call(this, context, { ...options, fn });
  };
}

/** One isolated Handlebars instance with our helpers and partials and nothing else. */
export function createTemplateEnvironment(partials: Map<string, string>, defaultTimezone: string): TemplateEnvironment {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('each', countedEach(handlebars));
  const helpers = createHelpers(defaultTimezone);
  for (const [name, helper] of Object.entries(helpers)) handlebars.registerHelper(name, helper);
  for (const [name, source] of partials) handlebars.registerPartial(name, source);
  const knownHelpers = Object.fromEntries(Object.keys(helpers).map((name) => [name, true]));
  return {
    handlebars,
    helpers: new Set([...BUILTIN_HELPERS, ...Object.keys(helpers)]),
    partials,
    compile: (source) => handlebars.compile(source, { ...COMPILE_OPTIONS, knownHelpers }),
  };
}

export const RUNTIME_OPTIONS: RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
};
