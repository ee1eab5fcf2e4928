import { RUNTIME_OPTIONS } from './handlebars-env';
import { RenderBudgetExceeded, checkRenderedSize, withinBudget } from './render-budget';

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

/** Each line without the spaces and tabs that end it, in one pass (a regex over a long blank run is quadratic). */
function trimLineEnds(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let end = line.length;
    while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
    if (end !== line.length) lines[i] = line.slice(0, end);
  }
  return lines.join('\n');
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
  return trimLineEnds(output)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
