import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pager } from '../Pager';
import { Page, api } from '../api';
import { ContentEditor, Kind, Piece } from '../content/ContentEditor';
import { useCanWrite } from '../session';

interface Summary {
  id: string;
  kind: string;
  title: string;
  status: string;
  tags: string[];
  updatedAt: string;
}

/** 内容库: the pieces by kind, tag and title; a piece opens in its editor beside its live preview. */
export function ContentPage() {
  const { t } = useTranslation();
  const canWrite = useCanWrite();
  const [kind, setKind] = useState('');
  const [tag, setTag] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<{ id: string } | { kind: string } | null>(null);
  const [newKind, setNewKind] = useState('');
  const kinds = useQuery({ queryKey: ['kinds'], queryFn: () => api<Kind[]>('/v1/kinds') });
  const pieces = useQuery({
    queryKey: ['content', kind, tag, q, page],
    queryFn: () => {
      const query = new URLSearchParams({ pageSize: '50', page: String(page) });
      if (kind) query.set('kind', kind);
      if (tag) query.set('tag', tag);
      if (q.trim()) query.set('q', q.trim());
      return api<Page<Summary>>(`/v1/content?${query}`);
    },
    placeholderData: (previous) => previous,
  });
  const piece = useQuery({
    queryKey: ['content', 'piece', open && 'id' in open ? open.id : null],
    queryFn: () => api<Piece>(`/v1/content/${(open as { id: string }).id}`),
    enabled: open !== null && 'id' in open,
  });
  const kindOf = (name: string) => kinds.data?.find((k) => k.name === name);
  const editing =
    open && 'kind' in open
      ? { piece: null, kind: kindOf(open.kind) }
      : piece.data
        ? { piece: piece.data, kind: kindOf(piece.data.kind) }
        : null;
  const pages = Math.max(1, Math.ceil((pieces.data?.total ?? 0) / 50));

  return (
    <section className="content-page">
      <aside>
        {canWrite && (
          <div className="toolbar new-piece">
            <select
              name="newKind"
              value={newKind}
              onChange={(e) => setNewKind(e.target.value)}
              aria-label={t('content.kindToWrite')}
            >
              <option value="">{t('content.kindToWrite')}</option>
              {kinds.data?.map((k) => (
                <option key={k.name} value={k.name}>
                  {k.label}
                </option>
              ))}
            </select>
            <button name="newPiece" disabled={!newKind} onClick={() => setOpen({ kind: newKind })}>
              {t('content.new')}
            </button>
          </div>
        )}
        <div className="filters">
          <label>
            {t('filter.kind')}
            <select name="kind" value={kind} onChange={(e) => (setKind(e.target.value), setPage(1))}>
              <option value="">{t('filter.all')}</option>
              {kinds.data?.map((k) => (
                <option key={k.name} value={k.name}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('filter.tag')}
            <input name="tag" value={tag} onChange={(e) => (setTag(e.target.value.trim()), setPage(1))} />
          </label>
          <label>
            {t('content.search')}
            <input name="q" value={q} onChange={(e) => (setQ(e.target.value), setPage(1))} />
          </label>
        </div>
        <ul className="pieces">
          {pieces.data?.items.map((p) => (
            <li key={p.id} className={open && 'id' in open && open.id === p.id ? 'current' : ''}>
              <button className="link" onClick={() => setOpen({ id: p.id })}>
                {p.title}
              </button>
              <span className="muted">
                {' '}
                {kindOf(p.kind)?.label ?? p.kind} · {t(`status.${p.status}`, { defaultValue: p.status })}
              </span>
            </li>
          ))}
        </ul>
        <Pager page={page} pages={pages} onPage={setPage} />
      </aside>
      <div className="editor-area">
        {!open && <p className="muted">{t('content.choose')}</p>}
        {piece.error && <p className="error">{t('error', { message: piece.error.message })}</p>}
        {editing?.kind && (
          <ContentEditor
            key={editing.piece ? `${editing.piece.id}` : `new:${editing.kind.name}`}
            piece={editing.piece}
            kind={editing.kind}
            onSaved={(saved) => {
              setOpen({ id: saved.id });
              void piece.refetch();
            }}
          />
        )}
      </div>
    </section>
  );
}
