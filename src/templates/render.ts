import { RUNTIME_OPTIONS } from './handlebars-env';
import { RenderBudgetExceeded, checkRenderedSize, withinBudget } from './render-budget';
import { tidyLines } from '../common/lines';

export class RenderFailure extends Error {
  constructor(
    readonly template: string,
    message: string,
    /** The render ran out of its budget (size, loops, time): the template asks too much, whatever the data. */
    readonly overBudget = false,
  ) {
    super(message);
    this.name = 'RenderFailure';
  }
}

/** Runs a compiled template within the render budget and tidies the blank lines that optional sections leave behind. */
export function runTemplate(
  template: string,
  render: HandlebarsTemplateDelegate,
  context: Record<string, unknown>,
): string {
  let output: string;
  try {
    output = withinBudget(() => {
      const text = render(context, RUNTIME_OPTIONS);
      checkRenderedSize(text);
      return text;
    });
  } catch (error) {
    throw new RenderFailure(template, (error as Error).message, error instanceof RenderBudgetExceeded);
  }
  return tidyLines(output);
}
