import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Attempt, Post, api, post } from './api';
import { Modal, useConfirm } from './dialog';
import { useCanAct } from './session';
import { colour } from './status';
import { twoZones } from './time';

type PostWithLog = Post & { attemptLog: Attempt[]; deferrals: { at: string; until: string; reason: string }[] };

const RETRYABLE = ['failed', 'unconfirmed', 'expired'];
const CANCELLABLE = ['scheduled', 'queued', 'paused', 'awaiting_confirmation'];

/** One post: when it was due and went, why it moved, every attempt, and what the role may do about it. */
export function PostDetail({
  id,
  group,
  onClose,
}: {
  id: string;
  group: { name: string; timezone: string };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ['post', id], queryFn: () => api<PostWithLog>(`/v1/posts/${id}`) });
  const act = useMutation({
    mutationFn: (action: 'retry' | 'cancel' | 'mark-sent') => post<Post>(`/v1/posts/${id}/${action}`),
    onSettled: () => client.invalidateQueries(),
  });
  const [ask, dialog] = useConfirm();
  const p = detail.data;
  return (
    <Modal label={t('post.title')} onClose={onClose}>
      <>
        {dialog}
        <button className="close link" onClick={onClose}>
          {t('post.close')}
        </button>
        {!p && <p>{detail.error ? t('error', { message: detail.error.message }) : t('loading')}</p>}
        {p && (
          <>
            <h2>
              <span className="badge" data-status={p.status} style={{ background: colour(p.status) }}>
                {t(`status.${p.status}`)}
              </span>{' '}
              {t(`stage.${p.stage}`, { defaultValue: p.stage })}
            </h2>
            <dl>
              <dt>{t('post.group')}</dt>
              <dd>{group.name}</dd>
              <dt>{t('post.due')}</dt>
              <dd>{twoZones(p.dueAt, group.timezone)}</dd>
              <dt>{t('post.sent')}</dt>
              <dd>{twoZones(p.sentAt, group.timezone)}</dd>
              {(p.deferReason || p.error) && (
                <>
                  <dt>{t('post.reason')}</dt>
                  <dd className="reason">{p.error ? `${p.errorCode}: ${p.error}` : p.deferReason}</dd>
                </>
              )}
            </dl>
            <h3>{t('post.attempts')}</h3>
            {p.attemptLog.length === 0 ? (
              <p className="muted">{t('post.none')}</p>
            ) : (
              <table>
                <tbody>
                  {p.attemptLog.map((a) => (
                    <tr key={a.attemptedAt}>
                      <td>{twoZones(a.attemptedAt, group.timezone)}</td>
                      <td>{a.outcome}</td>
                      <td>{a.code}</td>
                      <td>{a.latencyMs} ms</td>
                      <td className="reason">{a.error}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {p.deferrals.length > 0 && (
              <ul className="moves">
                {p.deferrals.map((d) => (
                  <li key={d.at}>
                    {twoZones(d.at, group.timezone)}: {d.reason}
                  </li>
                ))}
              </ul>
            )}
            {canAct && (
              <div className="actions">
                {RETRYABLE.includes(p.status) && (
                  <button onClick={() => act.mutate('retry')} disabled={act.isPending}>
                    {t('post.retry')}
                  </button>
                )}
                {p.status === 'unconfirmed' && (
                  <button onClick={() => act.mutate('mark-sent')} disabled={act.isPending}>
                    {t('post.markSent')}
                  </button>
                )}
                {CANCELLABLE.includes(p.status) && (
                  <button
                    className="danger"
                    disabled={act.isPending}
                    onClick={() =>
                      ask(
                        {
                          title: t('post.cancelTitle'),
                          body: t('post.cancelBody', { group: group.name }),
                          confirm: t('post.cancelConfirm'),
                          danger: true,
                        },
                        () => act.mutate('cancel'),
                      )
                    }
                  >
                    {t('post.cancel')}
                  </button>
                )}
              </div>
            )}
            {act.error && <p className="error">{t('error', { message: act.error.message })}</p>}
          </>
        )}
      </>
    </Modal>
  );
}
