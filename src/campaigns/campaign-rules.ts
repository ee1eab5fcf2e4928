import { ErrorDetail } from '../common/domain-error';
import { STAGES, Stage } from '../common/stages';
import { Timing, nominalMinutes, timingProblem } from './timing';

export interface StepToCheck {
  stage: Stage;
  contentId: string;
  timing: Timing;
}

/** Every problem with a campaign's steps, each named by its step: the rules of DESIGN §4. */
export function campaignProblems(
  steps: StepToCheck[],
  allowDirectClose: boolean,
  published: Map<string, { revision: number | null; status: string }>,
): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (steps.length === 0) problems.push({ field: 'steps', message: 'a campaign needs at least one step' });
  let educated = false;
  let minutes = 0;
  steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    const previous = steps[i - 1];
    if (previous && STAGES.indexOf(step.stage) < STAGES.indexOf(previous.stage)) {
      problems.push({
        field: `${at}.stage`,
        message: `${step.stage} comes after ${previous.stage}: stages never go backwards`,
      });
    }
    if (step.stage === 'close' && !educated && !allowDirectClose) {
      problems.push({
        field: `${at}.stage`,
        message: 'a close step needs an educate step before it (or allowDirectClose)',
      });
    }
    if (step.stage === 'educate') educated = true;
    const content = published.get(step.contentId);
    if (!content) problems.push({ field: `${at}.contentId`, message: `no content ${step.contentId}` });
    else if (content.revision === null)
      problems.push({
        field: `${at}.contentId`,
        message: `content ${step.contentId} is ${content.status}, not published`,
      });
    const timing = timingProblem(step.timing);
    if (timing) {
      problems.push({ field: `${at}.timing`, message: timing });
      return;
    }
    const next = nominalMinutes(step.timing, minutes);
    if (i > 0 && next < minutes) problems.push({ field: `${at}.timing`, message: 'falls before the previous step' });
    minutes = Math.max(minutes, next);
  });
  return problems;
}
