import { ErrorDetail } from '../common/domain-error';

/** A problem found in a template, with a 1-based position where one is known. */
export interface TemplateProblem {
  template: string;
  message: string;
  line?: number;
  column?: number;
}

export function describeProblem(p: TemplateProblem): string {
  const at = p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : '';
  return `${p.template}${at}: ${p.message}`;
}

export function problemToDetail(field: string, p: TemplateProblem): ErrorDetail {
  return { field, message: p.message, line: p.line, column: p.column };
}
