import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page, api } from '../api';
import { colour } from '../status';
import type { Piece } from './ContentEditor';

interface Revision {
  revision: number;
  title: string;
  fields: Record<string, unknown>;
  media: string[];
  link: string | null;
  tags: string[];
  author: string | null;
  createdAt: string;
  published: boolean;
}

/** Every leaf of a revision by its path (标题, fields.headlines[1].title…), as text. */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value)) value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) leaves(item, path ? `${path}.${key}` : key, out);
  else out.set(path, value === null || value === undefined ? '' : String(value));
  return out;
}

const comparable = (r: Revision) =>
  leaves({ title: r.title, fields: r.fields, media: r.media, link: r.link, tags: r.tags }, '', new Map());

/** What changed between two revisions, field by field. */
export function diff(older: Revision, newer: Revision): { path: string; before: string; after: string }[] {
  const [a, b] = [comparable(older), comparable(newer)];
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({ path, before: a.get(path) ?? '', after: b.get(path) ?? '' }));
}

/** The piece's revisions, who wrote each and when; pick two to see what changed. */
export function Revisions({ piece }: { piece: Piece }) {
  const { t, i18n } = useTranslation();
  const [picked, setPicked] = useState<number[]>([]);
  const list = useQuery({
    queryKey: ['revisions', piece.id, piece.revision],
    queryFn: () => api<Page<Revision>>(`/v1/content/${piece.id}/revisions?pageSize=20`),
  });
  const items = list.data?.items ?? [];
  const chosen = [...picked].sort((a, b) => a - b).map((n) => items.find((r) => r.revision === n)!);
  const changes = chosen.length === 2 && chosen.every(Boolean) ? diff(chosen[0], chosen[1]) : null;
  return (
    <details className="revisions">
      <summary>{t('content.revisions', { n: list.data?.total ?? piece.revision })}</summary>
      <table>
        <tbody>
          {items.map((r) => (
            <tr key={r.revision} data-revision={r.revision}>
              <td>
                <input
                  type="checkbox"
                  aria-label={t('content.revisionN', { n: r.revision })}
                  checked={picked.includes(r.revision)}
                  onChange={() =>
                    setPicked(
                      picked.includes(r.revision)
                        ? picked.filter((n) => n !== r.revision)
                        : [...picked, r.revision].slice(-2),
                    )
                  }
                />
              </td>
              <td>{t('content.revisionN', { n: r.revision })}</td>
              <td>{r.author ?? t('content.someone')}</td>
              <td>{new Date(r.createdAt).toLocaleString(i18n.language === 'zh' ? 'zh-CN' : 'en')}</td>
              <td>
                {r.published && (
                  <span className="badge" data-status="published" style={{ background: colour('sent') }}>
                    {t('status.published')}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {picked.length < 2 && <p className="hint">{t('content.pickTwo')}</p>}
      {changes && (
        <table className="diff">
          <thead>
            <tr>
              <th>{t('content.field')}</th>
              <th>{t('content.revisionN', { n: chosen[0].revision })}</th>
              <th>{t('content.revisionN', { n: chosen[1].revision })}</th>
            </tr>
          </thead>
          <tbody>
            {changes.length === 0 && (
              <tr>
                <td colSpan={3} className="muted">
                  {t('content.noChanges')}
                </td>
              </tr>
            )}
            {changes.map((c) => (
              <tr key={c.path} data-path={c.path}>
                <td>{c.path}</td>
                <td className="removed">{c.before}</td>
                <td className="added">{c.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
