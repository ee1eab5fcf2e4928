import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Group, api, idempotencyKey, post, useGroupsById, useTags } from '../api';
import { useConfirm } from '../dialog';
import { GroupPicker } from '../GroupPicker';
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
    heldByReceiveCap: number;
    warnings: { code: string; groups: number; posts: number; runs?: number }[];
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
  const [tags, setTags] = useState<string[]>([]);
  const [chosen, setChosen] = useState<Pick<Group, 'id' | 'name'>[]>([]);
  // One key per previewed plan: clicking launch twice, or again after a lost answer, launches once.
  const [launchKey, setLaunchKey] = useState(idempotencyKey);
  const campaigns = useQuery({
    queryKey: ['campaigns'],
    queryFn: () => api<{ id: string; name: string; status: string }[]>('/v1/campaigns'),
  });
  const allTags = useTags();
  const body = { audience: { tags, groupIds: chosen.map((g) => g.id) } };
  const plan = useMutation({ mutationFn: () => planOf(campaignId, body) });
  const launch = useMutation({
    mutationFn: () => post<{ id: string }>(`/v1/campaigns/${campaignId}/runs`, body, { 'Idempotency-Key': launchKey }),
  });
  const [ask, dialog] = useConfirm();
  const data = plan.data;
  const groups = useGroupsById(data?.entries.map((e) => e.groupId) ?? []);
  const times = data?.entries.map((e) => Date.parse(e.predictedAt ?? e.dueAt)) ?? [];
  const [min, max] = [Math.min(...times), Math.max(...times)];
  const at = (iso: string) => (max > min ? (100 * (Date.parse(iso) - min)) / (max - min) : 0);
  const name = (id: string) => groups.get(id)?.name ?? '…';
  const campaignName = campaigns.data?.find((c) => c.id === campaignId)?.name ?? '';
  const confirmLaunch = (plan: Plan) => {
    const s = plan.summary;
    const moved = Object.entries(s.groupsMovedBy);
    const accept = [
      ...s.warnings
        .filter((w) => w.code !== 'no_groups')
        .map((w) => t(`plan.warning.${w.code}`, { groups: w.groups, posts: w.posts, runs: w.runs })),
      ...moved.map(([rule, n]) => t('plan.acceptMoved', { rule, groups: n })),
      ...(s.skipped > 0 ? [t('plan.acceptSkipped', { posts: s.skipped })] : []),
      ...(s.withProblems > 0 ? [t('plan.acceptProblems', { posts: s.withProblems })] : []),
      ...(s.heldByReceiveCap > 0 ? [t('plan.acceptCapped', { posts: s.heldByReceiveCap })] : []),
    ];
    ask(
      {
        title: t('plan.launchTitle', { name: campaignName }),
        body: t('plan.launchBody', { groups: s.groups, posts: s.posts }),
        confirm: t('plan.launchConfirm', { groups: s.groups }),
        accept,
      },
      () => launch.mutate(),
    );
  };
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
          setLaunchKey(idempotencyKey());
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
        <fieldset className="tags" name="tags">
          <legend>{t('plan.audienceTags')}</legend>
          {allTags.data?.map(({ tag, groups: n }) => (
            <label key={tag} className="chip">
              <input
                type="checkbox"
                value={tag}
                checked={tags.includes(tag)}
                onChange={() => setTags(tags.includes(tag) ? tags.filter((x) => x !== tag) : [...tags, tag])}
              />
              {tag} <span className="muted">{t('plan.tagGroups', { n })}</span>
            </label>
          ))}
        </fieldset>
        <label>
          {t('plan.audienceGroups')}
          <GroupPicker chosen={chosen} onChange={setChosen} multiple name="audienceGroup" />
        </label>
        <button type="submit" disabled={!campaignId || plan.isPending || (tags.length === 0 && chosen.length === 0)}>
          {t('plan.preview')}
        </button>
        {canAct && data && data.summary.groups > 0 && (
          <button type="button" disabled={launch.isPending || launch.isSuccess} onClick={() => confirmLaunch(data)}>
            {t('plan.launch')}
          </button>
        )}
      </form>
      {dialog}
      {data && data.summary.groups === 0 && <p className="error">{t('plan.noGroups')}</p>}
      {(plan.error ?? launch.error) && (
        <p className="error">{t('error', { message: (plan.error ?? launch.error)!.message })}</p>
      )}
      {launch.data && (
        <p className="ok">
          {t('plan.launched', { name: campaignName })} <a href="#/runs">{t('plan.toRuns')}</a>
        </p>
      )}
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
                      title={`${t(`stage.${e.stage}`)} · ${t('plan.predicted')} ${inZone(e.predictedAt, groups.get(groupId)?.timezone ?? viewerZone)}`}
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
