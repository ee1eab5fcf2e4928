import { RUNTIME_OPTIONS } from './handlebars-env';

export class RenderFailure extends Error {
  constructor(
    readonly template: string,
    message: string,
  ) {
    super(message);
    this.name = 'RenderFailure';
  }
}

/** Runs a compiled template and tidies the blank lines that optional sections leave behind. */
export function runTemplate(
  template: string,
  render: HandlebarsTemplateDelegate,
  context: Record<string, unknown>,
): string {
  let output: string;
  try {
    output = render(context, RUNTIME_OPTIONS);
  } catch (error) {
    throw new RenderFailure(template, (error as Error).message);
  }
  return output
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
