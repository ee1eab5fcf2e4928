import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page, api, post } from '../api';
import { useConfirm } from '../dialog';
import { useCanAct } from '../session';
import { OPEN_STATUSES, colour, pending } from '../status';
import { inZone, viewerZone } from '../time';

interface Campaign {
  id: string;
  name: string;
}

interface Run {
  id: string;
  campaignId: string;
  status: string;
  startAt: string;
  postCount: number;
  evergreen: boolean;
}

interface BoardGroup {
  groupId: string;
  name: string | null;
  status: string;
  lastSent: { step: number; stage: string; sentAt: string } | null;
  next: { step: number; stage: string; dueAt: string; status: string } | null;
  counts: Record<string, number>;
}

interface FunnelRow {
  sent: number;
  uniqueClicks: number;
  conversions: number;
  amount: number;
}

interface Funnel {
  totals: FunnelRow;
  stages: (FunnelRow & { stage: string })[];
}

const STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'];
const LIVE = ['scheduled', 'running', 'paused'];

/** Each stage's posts as a bar: what went or failed in its colour, what is still to come left pale. */
function Progress({ byStage }: { byStage: Record<string, Record<string, number>> }) {
  const { t } = useTranslation();
  return (
    <div className="progress">
      {STAGES.filter((stage) => byStage[stage]).map((stage) => {
        const counts = byStage[stage];
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        const title = Object.entries(counts)
          .map(([status, n]) => `${t(`status.${status}`, { defaultValue: status })} ${n}`)
          .join(' · ');
        return (
          <div key={stage} className="stage-bar" title={title} data-stage={stage}>
            <span>{t(`stage.${stage}`)}</span>
            <div className="bar">
              {Object.entries(counts)
                .filter(([status]) => !pending(status))
                .map(([status, n]) => (
                  <i
                    key={status}
                    data-status={status}
                    style={{ width: `${(100 * n) / total}%`, background: colour(status) }}
                  />
                ))}
            </div>
            <span className="muted">
              {counts.sent ?? 0}/{total}
            </span>
          </div>
        );
      })}
    </div>
  );
}

function RunDetail({ run }: { run: Run }) {
  const { t } = useTranslation();
  const board = useQuery({
    queryKey: ['board', run.id],
    queryFn: () => api<Page<BoardGroup>>(`/v1/runs/${run.id}/groups?pageSize=100`),
    refetchInterval: 5000,
  });
  const funnel = useQuery({ queryKey: ['funnel', run.id], queryFn: () => api<Funnel>(`/v1/runs/${run.id}/funnel`) });
  return (
    <div className="run-detail">
      <h3>{t('runs.board')}</h3>
      <table>
        <thead>
          <tr>
            <th>{t('filter.group')}</th>
            <th />
            <th>{t('runs.lastStage')}</th>
            <th>{t('runs.next')}</th>
          </tr>
        </thead>
        <tbody>
          {board.data?.items.map((g) => (
            <tr key={g.groupId} data-group={g.name ?? g.groupId} data-board-status={g.status}>
              <td>{g.name}</td>
              <td className={g.status === 'failing' ? 'error' : ''}>
                {t(`runs.boardStatus.${g.status}`, { defaultValue: g.status })}
              </td>
              <td>{g.lastSent ? t(`stage.${g.lastSent.stage}`) : '—'}</td>
              <td>
                {g.next
                  ? `${t(`stage.${g.next.stage}`)} · ${inZone(g.next.dueAt, viewerZone)} · ${t(`status.${g.next.status}`)}`
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>
        {t('runs.funnel')} <span className="muted">({t('runs.sentClicksOrders')})</span>
      </h3>
      <table>
        <tbody>
          {funnel.data?.stages.map((s) => (
            <tr key={s.stage}>
              <td>{t(`stage.${s.stage}`)}</td>
              <td>
                {s.sent} → {s.uniqueClicks} → {s.conversions}
              </td>
              <td>{s.amount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Runs with their progress per stage; a run's board and funnel; pause, resume, cancel. */
export function RunsPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const runs = useQuery({
    queryKey: ['runs'],
    queryFn: async () => {
      const campaigns = await api<Campaign[]>('/v1/campaigns');
      const lists = await Promise.all(
        campaigns.map(async (c) =>
          (await api<Run[]>(`/v1/campaigns/${c.id}/runs`)).map((run) => ({ ...run, campaign: c })),
        ),
      );
      const all = lists.flat().sort((a, b) => b.startAt.localeCompare(a.startAt));
      // Progress of the runs still going and the ten latest others: a long history costs no more requests.
      const shown = all.filter((run, i) => LIVE.includes(run.status) || i < 10);
      const stats = await Promise.all(
        shown.map((run) => api<{ byStage: Record<string, Record<string, number>> }>(`/v1/runs/${run.id}/stats`)),
      );
      return shown.map((run, i) => ({ ...run, byStage: stats[i].byStage }));
    },
    refetchInterval: 15_000,
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'pause' | 'resume' | 'cancel' }) =>
      post<Run>(`/v1/runs/${id}/${action}`),
    onSettled: () => client.invalidateQueries(),
  });
  const [ask, dialog] = useConfirm();
  const cancel = (run: Run & { campaign: Campaign; byStage: Record<string, Record<string, number>> }) => {
    const open = Object.values(run.byStage)
      .flatMap((counts) => Object.entries(counts))
      .filter(([status]) => OPEN_STATUSES.includes(status))
      .reduce((n, [, count]) => n + count, 0);
    ask(
      {
        title: t('runs.cancelTitle', { name: run.campaign.name }),
        body: t('runs.cancelBody', { posts: open }),
        confirm: t('runs.cancelConfirm'),
        danger: true,
      },
      () => act.mutate({ id: run.id, action: 'cancel' }),
    );
  };
  return (
    <section>
      {dialog}
      {runs.isLoading && <p>{t('loading')}</p>}
      {runs.data?.length === 0 && <p className="muted">{t('runs.none')}</p>}
      {act.error && <p className="error">{t('error', { message: act.error.message })}</p>}
      {runs.data?.map((run) => (
        <article key={run.id} className="run" data-run={run.id}>
          <header>
            <button className="link" onClick={() => setOpen(open === run.id ? null : run.id)}>
              <strong>{run.campaign.name}</strong>
            </button>
            <span className="badge" style={{ background: colour(run.status === 'running' ? 'scheduled' : run.status) }}>
              {t(`status.${run.status}`, { defaultValue: run.status })}
            </span>
            <span className="muted">
              {t('runs.started')} {inZone(run.startAt, viewerZone)} · {t('runs.posts')} {run.postCount}
            </span>
            {canAct && run.status === 'running' && (
              <button onClick={() => act.mutate({ id: run.id, action: 'pause' })}>{t('runs.pause')}</button>
            )}
            {canAct && run.status === 'paused' && (
              <button onClick={() => act.mutate({ id: run.id, action: 'resume' })}>{t('runs.resume')}</button>
            )}
            {canAct && LIVE.includes(run.status) && (
              <button className="danger" onClick={() => cancel(run)}>
                {t('runs.cancel')}
              </button>
            )}
          </header>
          <Progress byStage={run.byStage} />
          {open === run.id && <RunDetail run={run} />}
        </article>
      ))}
    </section>
  );
}
