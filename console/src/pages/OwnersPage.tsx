import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, post } from '../api';
import { useConfirm } from '../dialog';
import { useCanAct } from '../session';

interface Owner {
  owner: string;
  tasks: number;
  waiting: number;
  onTime: number;
  late: number;
  expired: number;
  medianMinutesToConfirm: number | null;
  oldestWaitingSince: string | null;
}

interface Day {
  date: string;
  tasks: number;
  waiting: number;
  onTime: number;
  late: number;
  expired: number;
}

/** How long ago, as an operator says it: 12 分钟, 3 小时, 2 天. */
function waited(since: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 60_000));
  if (minutes < 60) return t('owners.minutes', { n: minutes });
  if (minutes < 48 * 60) return t('owners.hours', { n: Math.round(minutes / 60) });
  return t('owners.days', { n: Math.round(minutes / 1440) });
}

/** The share of a period's settled tasks the owner confirmed; null when none is settled. */
const completion = (o: Pick<Owner, 'onTime' | 'late' | 'expired'>) => {
  const settled = o.onTime + o.late + o.expired;
  return settled === 0 ? null : Math.round((100 * (o.onTime + o.late)) / settled);
};

function OwnerDays({ owner, days }: { owner: string; days: number }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['owner', owner, days],
    queryFn: () => api<{ days: Day[] }>(`/v1/owners/${encodeURIComponent(owner)}?days=${days}`),
  });
  return (
    <table className="owner-days">
      <thead>
        <tr>
          <th>{t('owners.date')}</th>
          <th>{t('owners.tasks')}</th>
          <th>{t('owners.waiting')}</th>
          <th>{t('owners.onTime')}</th>
          <th>{t('owners.late')}</th>
          <th>{t('owners.expired')}</th>
        </tr>
      </thead>
      <tbody>
        {detail.data?.days.map((d) => (
          <tr key={d.date}>
            <td>{d.date}</td>
            <td>{d.tasks}</td>
            <td>{d.waiting}</td>
            <td>{d.onTime}</td>
            <td>{d.late}</td>
            <td>{d.expired}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * 群主待确认: WeCom customer groups' mass messages wait for each owner to confirm them in WeCom.
 * Per owner: what waits and since when, how their tasks went, and a reminder now.
 */
export function OwnersPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const [days, setDays] = useState(30);
  const [open, setOpen] = useState<string | null>(null);
  const owners = useQuery({
    queryKey: ['owners', days],
    queryFn: () => api<{ items: Owner[] }>(`/v1/owners?days=${days}`),
    refetchInterval: 15_000,
  });
  const [ask, dialog] = useConfirm();
  const remind = useMutation({
    mutationFn: (owner: string) =>
      post<{ reminded: number; spent: number }>(`/v1/owners/${encodeURIComponent(owner)}/remind`),
    onSettled: () => client.invalidateQueries({ queryKey: ['owners'] }),
  });
  return (
    <section className="owners-page">
      {dialog}
      <div className="filters">
        <label>
          {t('owners.period')}
          <select name="days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90].map((n) => (
              <option key={n} value={n}>
                {t('owners.lastDays', { n })}
              </option>
            ))}
          </select>
        </label>
        <span className="hint">{t('owners.hint')}</span>
      </div>
      {remind.data && (
        <p className="ok">{t('owners.reminded', { reminded: remind.data.reminded, spent: remind.data.spent })}</p>
      )}
      {remind.error && <p className="error">{t('error', { message: remind.error.message })}</p>}
      {owners.data?.items.length === 0 && <p className="muted">{t('owners.none')}</p>}
      <table>
        <thead>
          <tr>
            <th>{t('owners.owner')}</th>
            <th>{t('owners.waiting')}</th>
            <th>{t('owners.waitingFor')}</th>
            <th>{t('owners.completion')}</th>
            <th>{t('owners.onTime')}</th>
            <th>{t('owners.late')}</th>
            <th>{t('owners.expired')}</th>
            <th>{t('owners.median')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {owners.data?.items.map((o) => (
            <tr key={o.owner} data-owner={o.owner}>
              <td>
                <button className="link" onClick={() => setOpen(open === o.owner ? null : o.owner)}>
                  {o.owner}
                </button>
              </td>
              <td className={o.waiting > 0 ? 'error' : ''}>{o.waiting}</td>
              <td>{o.oldestWaitingSince ? waited(o.oldestWaitingSince, t) : '—'}</td>
              <td>{completion(o) === null ? '—' : `${completion(o)}%`}</td>
              <td>{o.onTime}</td>
              <td>{o.late}</td>
              <td>{o.expired}</td>
              <td>{o.medianMinutesToConfirm === null ? '—' : t('owners.minutes', { n: o.medianMinutesToConfirm })}</td>
              <td>
                {canAct && o.waiting > 0 && (
                  <button
                    className="link"
                    name="remind"
                    onClick={() =>
                      ask(
                        {
                          title: t('owners.remindTitle', { owner: o.owner }),
                          body: t('owners.remindBody', { n: o.waiting, owner: o.owner }),
                          confirm: t('owners.remindConfirm'),
                        },
                        () => remind.mutate(o.owner),
                      )
                    }
                  >
                    {t('owners.remind')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <OwnerDays owner={open} days={days} />}
    </section>
  );
}
