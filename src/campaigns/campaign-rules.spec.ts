import { Stage } from '../common/stages';
import { StepToCheck, campaignProblems } from './campaign-rules';
import { Timing } from './timing';

const PUBLISHED = new Map([
  ['piece', { revision: 3, status: 'published' }],
  ['draft', { revision: null, status: 'draft' }],
]);

const step = (stage: Stage, timing: Timing = { after: 'PT1H' }, contentId = 'piece'): StepToCheck => ({
  stage,
  contentId,
  timing,
});

const FIVE_STAGES: StepToCheck[] = [
  step('activate', { day: 0, at: '08:00' }),
  step('educate', { day: 0, at: '12:00' }),
  step('trigger_need', { day: 1, at: '08:00' }),
  step('trigger_emotion', { after: 'PT2H' }),
  step('close', { day: 2, at: '20:00' }),
];

describe('the campaign rules', () => {
  it.each<[string, StepToCheck[], boolean, { field: string; message: string }[]]>([
    ['the five stages in order', FIVE_STAGES, false, []],
    ['a stage repeated', [step('educate'), step('educate'), step('close')], false, []],
    ['no step at all', [], false, [{ field: 'steps', message: 'a campaign needs at least one step' }]],
    [
      'a stage that goes backwards',
      [step('educate'), step('close'), step('trigger_need')],
      false,
      [{ field: 'steps[2].stage', message: 'trigger_need comes after close: stages never go backwards' }],
    ],
    [
      'a close with no educate before it',
      [step('activate'), step('close')],
      false,
      [{ field: 'steps[1].stage', message: 'a close step needs an educate step before it (or allowDirectClose)' }],
    ],
    ['a close with no educate before it, allowed', [step('activate'), step('close')], true, []],
    [
      'content that is not there, or not published',
      [step('educate', undefined, 'missing'), step('close', undefined, 'draft')],
      false,
      [
        { field: 'steps[0].contentId', message: 'no content missing' },
        { field: 'steps[1].contentId', message: 'content draft is draft, not published' },
      ],
    ],
    [
      'a step timed before the one before it',
      [step('educate', { day: 1, at: '08:00' }), step('close', { day: 0, at: '20:00' })],
      false,
      [{ field: 'steps[1].timing', message: 'falls before the previous step' }],
    ],
    [
      'a timing that does not parse',
      [step('educate', { day: 0, at: '25:00' }), step('close', { after: 'an hour' })],
      false,
      [
        { field: 'steps[0].timing', message: 'at must be HH:mm, e.g. 08:00' },
        { field: 'steps[1].timing', message: 'after must be an ISO-8601 duration such as PT30M or PT10S' },
      ],
    ],
  ])('%s', (_, steps, allowDirectClose, expected) => {
    expect(campaignProblems(steps, allowDirectClose, PUBLISHED)).toEqual(expected);
  });
});
