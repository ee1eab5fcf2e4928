import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, post, useGroups } from '../api';
import { useCanAct } from '../session';
import { colour } from '../status';
import { inZone, viewerZone } from '../time';

interface Entry {
  groupId: string;
  step: number;
  stage: string;
  dueAt: string;
  predictedAt: string | null;
  moves: string[];
  skipped: string | null;
  problems: string[];
}

interface Plan {
  summary: {
    posts: number;
    groups: number;
    skipped: number;
    groupsMovedBy: Record<string, number>;
    withProblems: number;
  };
  entries: Entry[];
}

type PlanAnswer = Plan | { id: string; status: 'pending' | 'done' | 'failed'; plan?: Plan; error?: string };

/** A large plan is made as a job: ask again until it is done. */
async function planOf(campaignId: string, body: unknown): Promise<Plan> {
  let answer = await post<PlanAnswer>(`/v1/campaigns/${campaignId}/plan`, body);
  while ('status' in answer) {
    if (answer.status === 'done' && answer.plan) return answer.plan;
    if (answer.status === 'failed') throw new Error(answer.error ?? 'plan failed');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    answer = await api<PlanAnswer>(`/v1/plans/${answer.id}`);
  }
  return answer;
}

/** Pick a campaign and an audience, see when each post will really go and what moves it, and launch. */
export function PlanPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const [campaignId, setCampaignId] = useState('');
  const [tags, setTags] = useState('');
  const campaigns = useQuery({
    queryKey: ['campaigns'],
    queryFn: () => api<{ id: string; name: string; status: string }[]>('/v1/campaigns'),
  });
  const groups = useGroups();
  const body = {
    audience: {
      tags: tags
        .split(/[,，]/)
        .map((s) => s.trim())
        .filter(Boolean),
    },
  };
  const plan = useMutation({ mutationFn: () => planOf(campaignId, body) });
  const launch = useMutation({
    mutationFn: () => post<{ id: string }>(`/v1/campaigns/${campaignId}/runs`, body),
  });
  const data = plan.data;
  const times = data?.entries.map((e) => Date.parse(e.predictedAt ?? e.dueAt)) ?? [];
  const [min, max] = [Math.min(...times), Math.max(...times)];
  const at = (iso: string) => (max > min ? (100 * (Date.parse(iso) - min)) / (max - min) : 0);
  const name = (id: string) => groups.data?.items.find((g) => g.id === id)?.name ?? id;
  const warned = data?.entries.filter((e) => e.moves.length > 0 || e.skipped || e.problems.length > 0) ?? [];
  const byGroup = new Map<string, Entry[]>();
  for (const entry of data?.entries ?? []) byGroup.set(entry.groupId, [...(byGroup.get(entry.groupId) ?? []), entry]);

  return (
    <section>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          launch.reset();
          plan.mutate();
        }}
      >
        <label>
          {t('plan.campaign')}
          <select name="campaign" value={campaignId} onChange={(e) => setCampaignId(e.target.value)} required>
            <option value="" />
            {campaigns.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('plan.audienceTags')}
          <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
        <button type="submit" disabled={!campaignId || plan.isPending}>
          {t('plan.preview')}
        </button>
        {canAct && data && (
          <button type="button" disabled={launch.isPending || launch.isSuccess} onClick={() => launch.mutate()}>
            {t('plan.launch')}
          </button>
        )}
      </form>
      {(plan.error ?? launch.error) && (
        <p className="error">{t('error', { message: (plan.error ?? launch.error)!.message })}</p>
      )}
      {launch.data && <p className="ok">{t('plan.launched', { id: launch.data.id })}</p>}
      {data && (
        <>
          <p>{t('plan.summary', data.summary)}</p>
          <div className="timeline">
            {[...byGroup.entries()].map(([groupId, entries]) => (
              <div key={groupId} className="lane">
                <span className="lane-name">{name(groupId)}</span>
                <div className="lane-track">
                  {entries.map((e) => (
                    <i
                      key={e.step}
                      className="mark"
                      title={`${t(`stage.${e.stage}`)} · ${t('plan.predicted')} ${inZone(e.predictedAt, viewerZone)}`}
                      style={{
                        left: `${at(e.predictedAt ?? e.dueAt)}%`,
                        background: colour(e.skipped ? 'skipped' : e.moves.length ? 'deferred' : 'scheduled'),
                      }}
                    />
                  ))}
                </div>
              </div>
            ))}
          </div>
          <h3>{t('plan.warnings')}</h3>
          {warned.length === 0 ? (
            <p className="muted">{t('plan.noWarnings')}</p>
          ) : (
            <ul className="warnings">
              {warned.slice(0, 200).map((e) => (
                <li key={`${e.groupId}:${e.step}`}>
                  {name(e.groupId)} · {t(`stage.${e.stage}`)}:{' '}
                  {[...e.moves, e.skipped, ...e.problems].filter(Boolean).join('; ')}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
