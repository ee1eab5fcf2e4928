import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page, api, post, useGroups } from '../api';

interface Piece {
  id: string;
  kind: string;
  title: string;
  status: string;
  tags: string[];
}

interface Picture {
  url: string;
  as: string;
  bytes?: number;
  warning?: string;
}

interface Part {
  type: string;
  text?: string;
  bytes?: number;
  characters?: number;
  pictures?: Picture[];
  url?: string;
}

interface ChannelParts {
  channelId: string;
  channelName: string;
  channelType: string;
  parts: Part[];
  refused?: string;
  pictures: Picture[];
}

/** The library by kind and tag, and a piece side by side on each channel, as its provider will get it. */
export function ContentPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState('');
  const [tag, setTag] = useState('');
  const [pieceId, setPieceId] = useState<string | null>(null);
  const [groupId, setGroupId] = useState('');
  const kinds = useQuery({ queryKey: ['kinds'], queryFn: () => api<{ name: string; label: string }[]>('/v1/kinds') });
  const pieces = useQuery({
    queryKey: ['content', kind, tag],
    queryFn: () => {
      const query = new URLSearchParams({ pageSize: '100' });
      if (kind) query.set('kind', kind);
      if (tag) query.set('tag', tag);
      return api<Page<Piece>>(`/v1/content?${query}`);
    },
  });
  // Editors may not list groups: they preview for the sample group.
  const groups = useGroups();
  const preview = useQuery({
    queryKey: ['channel-preview', pieceId, groupId],
    queryFn: () =>
      post<{ channels: ChannelParts[] }>(`/v1/content/${pieceId}/channel-preview`, groupId ? { groupId } : {}),
    enabled: pieceId !== null,
  });
  return (
    <section className="content-page">
      <aside>
        <div className="filters">
          <label>
            {t('filter.kind')}
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
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
            <input name="tag" value={tag} onChange={(e) => setTag(e.target.value.trim())} />
          </label>
        </div>
        <ul className="pieces">
          {pieces.data?.items.map((p) => (
            <li key={p.id} className={p.id === pieceId ? 'current' : ''}>
              <button className="link" onClick={() => setPieceId(p.id)}>
                {p.title}
              </button>
              <span className="muted">
                {' '}
                {p.kind} · {t(`status.${p.status}`, { defaultValue: p.status })}
              </span>
            </li>
          ))}
        </ul>
      </aside>
      <div className="previews">
        {!pieceId && <p className="muted">{t('content.choose')}</p>}
        {pieceId && groups.data && (
          <label>
            {t('content.previewFor')}
            <select name="previewGroup" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
              <option value="">{t('content.sample')}</option>
              {groups.data.items.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {preview.error && <p className="error">{t('error', { message: preview.error.message })}</p>}
        <div className="side-by-side">
          {preview.data?.channels.map((channel) => (
            <article key={channel.channelId} className="channel-preview" data-channel-type={channel.channelType}>
              <h3>
                {channel.channelName} <span className="muted">{channel.channelType}</span>
              </h3>
              {channel.refused && <p className="error">{t('content.refused', { reason: channel.refused })}</p>}
              {channel.parts.map((part, i) => (
                <div key={i} className="part" data-part-type={part.type}>
                  <div className="part-type">{part.type}</div>
                  {part.pictures?.map((picture) => (
                    <figure key={picture.url}>
                      <img src={picture.url} alt={t('content.picture')} loading="lazy" />
                      <figcaption className="muted">
                        {picture.as}
                        {picture.warning ? ` · ${picture.warning}` : ''}
                      </figcaption>
                    </figure>
                  ))}
                  {part.text !== undefined && <pre className="part-text">{part.text}</pre>}
                  {part.bytes !== undefined && (
                    <div className="muted">{t('content.bytes', { bytes: part.bytes, chars: part.characters })}</div>
                  )}
                  {part.url && (
                    <a href={part.url} target="_blank" rel="noreferrer">
                      {part.url}
                    </a>
                  )}
                </div>
              ))}
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
