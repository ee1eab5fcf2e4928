import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager, TagOptions } from '../Pager';
import { Group, Page, api, post, useTags } from '../api';
import { useConfirm } from '../dialog';
import { useCanAct, useMe } from '../session';
import { GroupImport } from './GroupImport';
import { HolidayPresets } from './HolidayPresets';
import { GlobalPolicy, GroupEditor } from './GroupEditor';
import { Rules, ruleText } from './PolicyFields';
import { colour } from '../status';

const PAGE_SIZE = 50;
const STATUSES = ['active', 'paused', 'archived'];

/** 社群: every group, found by name, tag or status, 50 a page; their own rules; pause with a reason, resume. */
export function GroupsPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const [tag, setTag] = useState('');
  const [status, setStatus] = useState('');
  const tags = useTags();
  const groups = useQuery({
    queryKey: ['groups', 'page', page, q, tag, status],
    queryFn: () => {
      const query = new URLSearchParams({ pageSize: String(PAGE_SIZE), page: String(page) });
      if (q.trim()) query.set('q', q.trim());
      if (tag) query.set('tag', tag);
      if (status) query.set('status', status);
      return api<Page<Group>>(`/v1/groups?${query}`);
    },
    placeholderData: (previous) => previous,
  });
  const pages = Math.max(1, Math.ceil((groups.data?.total ?? 0) / PAGE_SIZE));
  const act = useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: 'pause' | 'resume'; reason?: string }) =>
      post<Group>(`/v1/groups/${id}/${action}`, action === 'pause' ? { reason } : {}),
    onSettled: () => client.invalidateQueries({ queryKey: ['groups'] }),
  });
  const [ask, dialog] = useConfirm();
  const isAdmin = useMe().role === 'admin';
  const [importing, setImporting] = useState(false);
  const [holidays, setHolidays] = useState(false);
  const [editing, setEditing] = useState<Group | null>(null);
  const [globalOpen, setGlobalOpen] = useState(false);
  const global = useQuery({ queryKey: ['policy'], queryFn: () => api<Rules>('/v1/policies') });
  /** A group's own rule, or the global one it follows, said as such. */
  const rule = (field: keyof Rules, own: string | number | null) =>
    own === null
      ? t('groups.inheritedValue', { value: global.data ? ruleText(field, global.data[field], t) : '…' })
      : ruleText(field, own, t);
  // The reason typed in the pause dialog, read when the operator confirms.
  const reasonRef = useRef('');
  const filter = (set: (value: string) => void) => (value: string) => {
    set(value);
    setPage(1);
  };
  return (
    <section>
      {dialog}
      <div className="filters">
        <label>
          {t('groups.search')}
          <input name="q" type="search" value={q} onChange={(e) => filter(setQ)(e.target.value)} />
        </label>
        <label>
          {t('filter.tag')}
          <select name="tag" value={tag} onChange={(e) => filter(setTag)(e.target.value)}>
            <option value="">{t('filter.all')}</option>
            <TagOptions tags={tags.data} />
          </select>
        </label>
        <label>
          {t('groups.status')}
          <select name="status" value={status} onChange={(e) => filter(setStatus)(e.target.value)}>
            <option value="">{t('filter.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{t('groups.count', { n: groups.data?.total ?? 0 })}</span>
        {isAdmin && !importing && (
          <button name="import" className="secondary" onClick={() => setImporting(true)}>
            {t('import.open')}
          </button>
        )}
        {canAct && !globalOpen && (
          <button name="globalPolicy" className="secondary" onClick={() => setGlobalOpen(true)}>
            {t('policy.globalTitle')}
          </button>
        )}
        {canAct && !holidays && (
          <button name="holidays" className="secondary" onClick={() => setHolidays(true)}>
            {t('holidays.open')}
          </button>
        )}
      </div>
      {importing && <GroupImport onClose={() => setImporting(false)} />}
      {holidays && <HolidayPresets onClose={() => setHolidays(false)} />}
      {globalOpen && <GlobalPolicy onClose={() => setGlobalOpen(false)} />}
      {editing && (
        <GroupEditor
          group={editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) void client.invalidateQueries({ queryKey: ['groups'] });
          }}
        />
      )}
      {groups.isLoading && <p>{t('loading')}</p>}
      {act.error && <p className="error">{t('error', { message: act.error.message })}</p>}
      {groups.data?.items.length === 0 && <p className="muted">{t('groups.none')}</p>}
      <div className="grid-scroll">
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
                <td>{g.tags.join('、')}</td>
                <td>{rule('quietHours', g.quietHours)}</td>
                <td>{rule('minGapMinutes', g.minGapMinutes)}</td>
                <td>{rule('dailyCap', g.dailyCap)}</td>
                <td>{g.consecutiveFailures}</td>
                <td className="reason">{g.pausedReason}</td>
                <td className="row-actions">
                  {canAct && (
                    <button className="link" name="editGroup" onClick={() => setEditing(g)}>
                      {t('edit')}
                    </button>
                  )}
                  {canAct && g.status === 'paused' && (
                    <button className="link" onClick={() => act.mutate({ id: g.id, action: 'resume' })}>
                      {t('groups.resume')}
                    </button>
                  )}
                  {canAct && g.status === 'active' && (
                    <button
                      className="link"
                      onClick={() => {
                        reasonRef.current = '';
                        ask(
                          {
                            title: t('groups.pauseTitle', { name: g.name }),
                            body: (
                              <label className="stacked">
                                {t('groups.pauseBody')}
                                <input name="reason" onChange={(e) => (reasonRef.current = e.target.value)} />
                              </label>
                            ),
                            confirm: t('groups.pauseConfirm'),
                          },
                          () => act.mutate({ id: g.id, action: 'pause', reason: reasonRef.current }),
                        );
                      }}
                    >
                      {t('runs.pause')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} pages={pages} onPage={setPage} />
    </section>
  );
}
