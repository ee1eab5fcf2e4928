/**
 * What one render may cost. Handlebars runs synchronously on the event loop, so a body whose loops
 * multiply (an `each` inside an `each` over the same list, twelve deep) would hold every request
 * and every delivery of the process until it ends; the budget ends it first.
 */
export const RENDER_LIMITS = {
  /** The largest message text a render may produce (UTF-8 bytes): far above any provider's own limit. */
  bytes: 64 * 1024,
  /** `each` iterations in one render, over every loop of it. */
  iterations: 10_000,
  /** Text produced by loop bodies, summed over every level of nesting. */
  producedCharacters: 1_000_000,
  /** How long one render may run. */
  milliseconds: 200,
  /** `each` blocks inside one another, counted through partials, when a template is saved. */
  loopDepth: 3,
} as const;

export class RenderBudgetExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderBudgetExceeded';
  }
}

interface Budget {
  iterations: number;
  produced: number;
  deadline: number;
}

let current: Budget | undefined;

/** Runs one render under a fresh budget; renders are synchronous, so one budget is live at a time. */
export function withinBudget<T>(render: () => T): T {
  const outer = current;
  current = { iterations: 0, produced: 0, deadline: performance.now() + RENDER_LIMITS.milliseconds };
  try {
    return render();
  } finally {
    current = outer;
  }
}

/** Counts one loop iteration against the live budget, before it runs. */
export function spendIteration(): void {
  const budget = current;
  if (!budget) return;
  budget.iterations++;
  if (budget.iterations > RENDER_LIMITS.iterations) {
    throw new RenderBudgetExceeded(`loops run more than ${RENDER_LIMITS.iterations.toLocaleString('en')} times`);
  }
  if ((budget.iterations & 63) === 0 && performance.now() > budget.deadline) {
    throw new RenderBudgetExceeded(`takes longer than ${RENDER_LIMITS.milliseconds} ms`);
  }
}

/** Counts the text one loop iteration produced. */
export function spendOutput(characters: number): void {
  const budget = current;
  if (!budget) return;
  budget.produced += characters;
  if (budget.produced > RENDER_LIMITS.producedCharacters) {
    throw new RenderBudgetExceeded(
      `loops produce more than ${RENDER_LIMITS.producedCharacters.toLocaleString('en')} characters`,
    );
  }
}

/** A message larger than the limit is refused, whatever produced it. */
export function checkRenderedSize(text: string): void {
  // Three UTF-8 bytes at most per UTF-16 unit: only a long text needs counting.
  if (text.length * 3 <= RENDER_LIMITS.bytes) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > RENDER_LIMITS.bytes) {
    throw new RenderBudgetExceeded(
      `renders ${bytes.toLocaleString('en')} bytes; a message may be at most ${RENDER_LIMITS.bytes.toLocaleString('en')} bytes (64 KB)`,
    );
  }
}
