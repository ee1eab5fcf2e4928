import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError, api, post } from '../api';
import { useConfirm } from '../dialog';
import { PieceSummary, PiecePicker } from '../PiecePicker';
import { FieldErrors, fieldError } from '../FieldErrors';
import { useCanAct } from '../session';
import { colour } from '../status';
import { inZone, viewerZone } from '../time';

const STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'] as const;
type Stage = (typeof STAGES)[number];
type Timing = { day: number; at: string } | { after: string };

interface Step {
  stage: Stage;
  contentId: string;
  timing: Timing;
}

interface Campaign {
  id: string;
  name: string;
  objective: string | null;
  status: 'draft' | 'active' | 'archived';
  allowDirectClose: boolean;
  steps: Step[];
}

/** A step as the builder edits it: the timing as the operator types it (day and time, or hours and minutes after). */
interface DraftStep {
  key: number;
  stage: Stage;
  piece: PieceSummary | null;
  mode: 'day' | 'after';
  day: string;
  at: string;
  hours: string;
  minutes: string;
}

let keys = 0;
const newStep = (stage: Stage = 'activate'): DraftStep => ({
  key: ++keys,
  stage,
  piece: null,
  mode: 'day',
  day: '0',
  at: '09:00',
  hours: '0',
  minutes: '30',
});

function toTiming(step: DraftStep): Timing {
  if (step.mode === 'day') return { day: Number(step.day), at: step.at };
  const hours = Number(step.hours) || 0;
  const minutes = Number(step.minutes) || 0;
  const days = Math.floor(hours / 24);
  const rest = `${hours % 24 ? `${hours % 24}H` : ''}${minutes ? `${minutes}M` : ''}`;
  return { after: `P${days ? `${days}D` : ''}${rest ? `T${rest}` : days ? '' : 'T0S'}` };
}

function fromTiming(timing: Timing): Pick<DraftStep, 'mode' | 'day' | 'at' | 'hours' | 'minutes'> {
  if ('day' in timing) return { mode: 'day', day: String(timing.day), at: timing.at, hours: '0', minutes: '30' };
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:\d+S)?)?$/.exec(timing.after);
  const hours = Number(match?.[1] ?? 0) * 24 + Number(match?.[2] ?? 0);
  return { mode: 'after', day: '0', at: '09:00', hours: String(hours), minutes: String(Number(match?.[3] ?? 0)) };
}

/**
 * The campaign rules the server checks, said while building: stages never go back, a close needs an
 * educate step before it (unless direct close is allowed), every step has a piece, times go forward.
 */
export function stepProblems(steps: DraftStep[], allowDirectClose: boolean, t: TFunction): string[] {
  const problems: string[] = [];
  steps.forEach((step, i) => {
    if (!step.piece) problems.push(t('campaigns.problem.piece', { n: i + 1 }));
    if (i > 0 && STAGES.indexOf(step.stage) < STAGES.indexOf(steps[i - 1].stage))
      problems.push(
        t('campaigns.problem.back', {
          n: i + 1,
          stage: t(`stage.${step.stage}`),
          before: t(`stage.${steps[i - 1].stage}`),
        }),
      );
    if (step.stage === 'close' && !allowDirectClose && !steps.slice(0, i).some((s) => s.stage === 'educate'))
      problems.push(t('campaigns.problem.close', { n: i + 1 }));
    const previous = steps[i - 1];
    if (previous && step.mode === 'day' && previous.mode === 'day') {
      const [a, b] = [Number(previous.day) * 1440 + minutes(previous.at), Number(step.day) * 1440 + minutes(step.at)];
      if (b < a) problems.push(t('campaigns.problem.time', { n: i + 1 }));
    }
  });
  return problems;
}

const minutes = (at: string) => Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));

function Builder({ campaign, onSaved }: { campaign: Campaign | null; onSaved: (c: Campaign) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(campaign?.name ?? '');
  const [objective, setObjective] = useState(campaign?.objective ?? '');
  const [allowDirectClose, setAllowDirectClose] = useState(campaign?.allowDirectClose ?? false);
  const titles = useQuery({
    queryKey: ['campaign-pieces', campaign?.id],
    queryFn: async () => Promise.all(campaign!.steps.map((s) => api<PieceSummary>(`/v1/content/${s.contentId}`))),
    enabled: campaign !== null,
  });
  const [steps, setSteps] = useState<DraftStep[] | null>(campaign ? null : [newStep()]);
  const shown =
    steps ??
    (titles.data && campaign
      ? campaign.steps.map((s, i) => ({ ...newStep(s.stage), piece: titles.data[i], ...fromTiming(s.timing) }))
      : []);
  const set = (i: number, change: Partial<DraftStep>) =>
    setSteps(shown.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const move = (i: number, by: number) => {
    const next = [...shown];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setSteps(next);
  };
  const problems = stepProblems(shown, allowDirectClose, t);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        ...(objective.trim() ? { objective: objective.trim() } : {}),
        allowDirectClose,
        steps: shown.map((s) => ({ stage: s.stage, contentId: s.piece!.id, timing: toTiming(s) })),
      };
      return campaign
        ? api<Campaign>(`/v1/campaigns/${campaign.id}`, { method: 'PATCH', body })
        : post<Campaign>('/v1/campaigns', body);
    },
    onSuccess: onSaved,
  });
  const error = save.error instanceof ApiError ? save.error : null;
  const editable = !campaign || campaign.status === 'draft';
  return (
    <form
      className="editor-form campaign-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>{campaign ? t('campaigns.edit', { name: campaign.name }) : t('campaigns.new')}</h2>
      {!editable && <p className="notice">{t('campaigns.launchedReadOnly')}</p>}
      <fieldset className="plain" disabled={!editable}>
        <label className="stacked">
          {t('campaigns.name')}
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        {fieldError(error, 'name')}
        <label className="stacked">
          {t('campaigns.objective')}
          <input name="objective" value={objective} onChange={(e) => setObjective(e.target.value)} />
        </label>
        <ol className="steps">
          {shown.map((step, i) => (
            <li key={step.key} className="step" data-step={i + 1} data-stage={step.stage}>
              <span className="step-number">{i + 1}</span>
              <select
                name={`stage-${i}`}
                aria-label={t('campaigns.stage')}
                value={step.stage}
                onChange={(e) => set(i, { stage: e.target.value as Stage })}
              >
                {STAGES.map((stage) => (
                  <option key={stage} value={stage}>
                    {t(`stage.${stage}`)}
                  </option>
                ))}
              </select>
              <PiecePicker piece={step.piece} onChange={(piece) => set(i, { piece })} name={`piece-${i}`} />
              <select
                name={`timing-${i}`}
                aria-label={t('campaigns.timing')}
                value={step.mode}
                onChange={(e) => set(i, { mode: e.target.value as 'day' | 'after' })}
              >
                <option value="day">{t('campaigns.onDay')}</option>
                <option value="after">{i === 0 ? t('campaigns.afterStart') : t('campaigns.afterPrevious')}</option>
              </select>
              {step.mode === 'day' ? (
                <>
                  <label>
                    {t('campaigns.day')}
                    <input
                      name={`day-${i}`}
                      type="number"
                      min={0}
                      max={365}
                      value={step.day}
                      onChange={(e) => set(i, { day: e.target.value })}
                    />
                  </label>
                  <input
                    name={`at-${i}`}
                    type="time"
                    aria-label={t('campaigns.at')}
                    value={step.at}
                    onChange={(e) => set(i, { at: e.target.value })}
                  />
                </>
              ) : (
                <>
                  <input
                    name={`hours-${i}`}
                    type="number"
                    min={0}
                    aria-label={t('campaigns.hours')}
                    value={step.hours}
                    onChange={(e) => set(i, { hours: e.target.value })}
                  />
                  {t('campaigns.hours')}
                  <input
                    name={`minutes-${i}`}
                    type="number"
                    min={0}
                    max={59}
                    aria-label={t('campaigns.minutes')}
                    value={step.minutes}
                    onChange={(e) => set(i, { minutes: e.target.value })}
                  />
                  {t('campaigns.minutes')}
                </>
              )}
              <span className="row-actions">
                <button
                  type="button"
                  className="link"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={t('campaigns.up')}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="link"
                  disabled={i === shown.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('campaigns.down')}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="link danger-text"
                  disabled={shown.length === 1}
                  onClick={() => setSteps(shown.filter((_, j) => j !== i))}
                  aria-label={t('campaigns.removeStep')}
                >
                  ×
                </button>
              </span>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="secondary"
          name="addStep"
          onClick={() => setSteps([...shown, newStep(shown[shown.length - 1]?.stage)])}
        >
          {t('campaigns.addStep')}
        </button>
        <label>
          <input type="checkbox" checked={allowDirectClose} onChange={(e) => setAllowDirectClose(e.target.checked)} />
          {t('campaigns.allowDirectClose')}
        </label>
      </fieldset>
      {problems.length > 0 && (
        <ul className="warnings problems" role="status">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {fieldError(error, 'steps')}
      <FieldErrors error={error} known={['name', 'steps']} />
      {editable && (
        <div className="actions">
          <button type="submit" disabled={save.isPending || problems.length > 0 || !name.trim()}>
            {t('save')}
          </button>
        </div>
      )}
    </form>
  );
}

interface Run {
  id: string;
  status: string;
  startAt: string;
  postCount: number;
  audience: { tags: string[]; groupIds: string[] };
}

function CampaignRuns({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const runs = useQuery({
    queryKey: ['campaign-runs', campaign.id],
    queryFn: () => api<Run[]>(`/v1/campaigns/${campaign.id}/runs`),
  });
  return (
    <div className="campaign-runs">
      <h3>{t('campaigns.runs')}</h3>
      {runs.data?.length === 0 && <p className="muted">{t('campaigns.noRuns')}</p>}
      <table>
        <tbody>
          {runs.data?.map((run) => (
            <tr key={run.id} data-run={run.id}>
              <td>
                <span
                  className="badge"
                  style={{ background: colour(run.status === 'running' ? 'scheduled' : run.status) }}
                >
                  {t(`status.${run.status}`, { defaultValue: run.status })}
                </span>
              </td>
              <td>{inZone(run.startAt, viewerZone)}</td>
              <td>{run.audience.tags.join('、') || t('campaigns.byName', { n: run.audience.groupIds.length })}</td>
              <td>{t('campaigns.postCount', { n: run.postCount })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <a href="#/plan">{t('campaigns.toPlan')}</a>
    </div>
  );
}

/** 活动方案: the campaigns, a builder for their five stages, and each campaign's runs. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const [open, setOpen] = useState<string | 'new' | null>(null);
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => api<Campaign[]>('/v1/campaigns') });
  const [ask, dialog] = useConfirm();
  const archive = useMutation({
    mutationFn: (id: string) => post<Campaign>(`/v1/campaigns/${id}/archive`),
    onSettled: () => client.invalidateQueries({ queryKey: ['campaigns'] }),
  });
  const shown = campaigns.data?.find((c) => c.id === open) ?? null;
  return (
    <section className="campaigns-page">
      {dialog}
      {canAct && (
        <div className="toolbar">
          <button name="newCampaign" onClick={() => setOpen('new')}>
            {t('campaigns.new')}
          </button>
        </div>
      )}
      {archive.error && <p className="error">{t('error', { message: archive.error.message })}</p>}
      <table>
        <tbody>
          {campaigns.data?.map((c) => (
            <tr key={c.id} data-campaign={c.name} className={c.id === open ? 'current' : ''}>
              <td>
                <button className="link" onClick={() => setOpen(c.id === open ? null : c.id)}>
                  <strong>{c.name}</strong>
                </button>
              </td>
              <td>{t(`campaigns.status.${c.status}`)}</td>
              <td className="stages">
                {c.steps.map((s, i) => (
                  <span key={i} className="stage-chip" data-stage={s.stage}>
                    {t(`stage.${s.stage}`)}
                  </span>
                ))}
              </td>
              <td>
                {canAct && c.status !== 'archived' && (
                  <button
                    className="link danger-text"
                    onClick={() =>
                      ask(
                        {
                          title: t('campaigns.archiveTitle', { name: c.name }),
                          body: t('campaigns.archiveBody'),
                          confirm: t('campaigns.archiveConfirm'),
                          danger: true,
                        },
                        () => archive.mutate(c.id),
                      )
                    }
                  >
                    {t('archive')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open === 'new' && (
        <Builder
          key="new"
          campaign={null}
          onSaved={(saved) => {
            void client.invalidateQueries({ queryKey: ['campaigns'] });
            setOpen(saved.id);
          }}
        />
      )}
      {shown && (
        <>
          <Builder
            key={shown.id}
            campaign={shown}
            onSaved={() => void client.invalidateQueries({ queryKey: ['campaigns'] })}
          />
          <CampaignRuns campaign={shown} />
        </>
      )}
    </section>
  );
}
