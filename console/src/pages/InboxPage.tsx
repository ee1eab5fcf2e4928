import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page, Post, api, post, useGroupsById } from '../api';
import { useConfirm } from '../dialog';
import { PostDetail } from '../PostDetail';
import { useCanAct } from '../session';
import { colour } from '../status';
import { twoZones } from '../time';

const STATUSES = ['failed', 'unconfirmed', 'awaiting_confirmation'] as const;
const RETRYABLE = new Set(['failed', 'unconfirmed']);

/** Failed, unconfirmed and awaiting-confirmation posts across runs and routines, with bulk retry. */
export function InboxPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<Post | null>(null);
  const posts = useQuery({
    queryKey: ['inbox'],
    queryFn: async () => {
      const pages = await Promise.all(
        STATUSES.map((status) => api<Page<Post>>(`/v1/posts?status=${status}&pageSize=100`)),
      );
      return pages.flatMap((p) => p.items).sort((a, b) => b.dueAt.localeCompare(a.dueAt));
    },
    refetchInterval: 5000,
  });
  const groups = useGroupsById(posts.data?.map((p) => p.groupId) ?? []);
  const groupOf = (id: string) => groups.get(id);
  const [ask, dialog] = useConfirm();
  const retry = useMutation({
    mutationFn: async (ids: string[]) => {
      const results = await Promise.allSettled(ids.map((id) => post<Post>(`/v1/posts/${id}/retry`)));
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length > 0) throw new Error((failed[0] as PromiseRejectedResult).reason.message);
    },
    onSettled: () => {
      setSelected(new Set());
      return client.invalidateQueries();
    },
  });
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const items = posts.data ?? [];
  return (
    <section>
      {dialog}
      {canAct && (
        <div className="toolbar">
          <span>{t('inbox.selected', { n: selected.size })}</span>
          <button
            disabled={selected.size === 0 || retry.isPending}
            onClick={() => {
              const ids = [...selected];
              const groupCount = new Set(items.filter((p) => selected.has(p.id)).map((p) => p.groupId)).size;
              ask(
                {
                  title: t('inbox.retryTitle'),
                  body: t('inbox.retryBody', { posts: ids.length, groups: groupCount }),
                  confirm: t('inbox.retryConfirm', { posts: ids.length }),
                },
                () => retry.mutate(ids),
              );
            }}
          >
            {t('inbox.retrySelected')}
          </button>
        </div>
      )}
      {retry.error && <p className="error">{t('error', { message: retry.error.message })}</p>}
      {posts.isLoading && <p>{t('loading')}</p>}
      {posts.data && items.length === 0 && <p className="muted">{t('inbox.empty')}</p>}
      <table className="inbox">
        <tbody>
          {items.map((p) => {
            const group = groupOf(p.groupId);
            return (
              <tr key={p.id} data-post={p.id} data-status={p.status}>
                {canAct && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={group?.name ?? t('post.title')}
                      disabled={!RETRYABLE.has(p.status)}
                      checked={selected.has(p.id)}
                      onChange={() => toggle(p.id)}
                    />
                  </td>
                )}
                <td>
                  <span className="badge" style={{ background: colour(p.status) }}>
                    {t(`status.${p.status}`)}
                  </span>
                </td>
                <td>{group?.name ?? '…'}</td>
                <td>{t(`stage.${p.stage}`, { defaultValue: p.stage })}</td>
                <td>{twoZones(p.dueAt, group?.timezone ?? 'UTC')}</td>
                <td className="reason">{p.error ? `${p.errorCode}: ${p.error}` : ''}</td>
                <td>
                  <button className="link" onClick={() => setOpen(p)}>
                    {t('post.title')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {open && (
        <PostDetail
          id={open.id}
          group={groupOf(open.groupId) ?? { name: '…', timezone: 'UTC' }}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
