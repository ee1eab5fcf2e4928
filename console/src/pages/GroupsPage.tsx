import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Group, Page, api, post } from '../api';
import { useCanAct } from '../session';
import { colour } from '../status';

/** Groups with their own rules, and those the breaker paused, with why, and resume. */
export function GroupsPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const groups = useQuery({
    queryKey: ['groups', 'page', page],
    queryFn: () => api<Page<Group>>(`/v1/groups?pageSize=100&page=${page}`),
  });
  const pages = Math.max(1, Math.ceil((groups.data?.total ?? 0) / 100));
  const resume = useMutation({
    mutationFn: (id: string) => post<Group>(`/v1/groups/${id}/resume`),
    onSettled: () => client.invalidateQueries(),
  });
  return (
    <section>
      {groups.isLoading && <p>{t('loading')}</p>}
      {resume.error && <p className="error">{t('error', { message: resume.error.message })}</p>}
      {pages > 1 && (
        <div className="toolbar">
          <button className="link" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            ‹
          </button>
          <span>
            {page} / {pages}
          </span>
          <button className="link" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            ›
          </button>
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th>{t('filter.group')}</th>
            <th />
            <th>{t('filter.tag')}</th>
            <th>{t('groups.quiet')}</th>
            <th>{t('groups.gap')}</th>
            <th>{t('groups.cap')}</th>
            <th>{t('groups.failures')}</th>
            <th>{t('groups.breaker')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {groups.data?.items.map((g) => (
            <tr key={g.id} data-group={g.name} data-status={g.status}>
              <td>
                {g.name}
                <div className="muted">{g.timezone}</div>
              </td>
              <td>
                <span className="badge" style={{ background: colour(g.status === 'active' ? 'sent' : 'paused') }}>
                  {t(`status.${g.status}`, { defaultValue: g.status })}
                </span>
              </td>
              <td>{g.tags.join(', ')}</td>
              <td>{g.quietHours ?? '—'}</td>
              <td>{g.minGapMinutes ?? '—'}</td>
              <td>{g.dailyCap ?? '—'}</td>
              <td>{g.consecutiveFailures}</td>
              <td className="reason">{g.pausedReason}</td>
              <td>
                {canAct && g.status === 'paused' && (
                  <button onClick={() => resume.mutate(g.id)} disabled={resume.isPending}>
                    {t('groups.resume')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
