import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page, api } from './api';

export interface PieceSummary {
  id: string;
  title: string;
  kind: string;
}

/** Published pieces by title: the operator types, a click picks. */
export function PiecePicker({
  piece,
  onChange,
  name,
}: {
  piece: PieceSummary | null;
  onChange: (p: PieceSummary) => void;
  name: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const found = useQuery({
    queryKey: ['content', 'published', q],
    queryFn: () =>
      api<Page<PieceSummary>>(
        `/v1/content?status=published&pageSize=20${q.trim() ? `&q=${encodeURIComponent(q.trim())}` : ''}`,
      ),
    enabled: open,
  });
  return (
    <div className="picker" data-picker={name}>
      {piece && !open ? (
        <button type="button" className="link chosen-piece" onClick={() => setOpen(true)}>
          {piece.title}
        </button>
      ) : (
        <input
          name={name}
          autoComplete="off"
          placeholder={t('campaigns.searchPiece')}
          value={q}
          autoFocus={piece !== null}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onChange={(e) => setQ(e.target.value)}
        />
      )}
      {open && found.data && (
        <ul className="options" role="listbox">
          {found.data.items.length === 0 && <li className="muted">{t('campaigns.noPiece')}</li>}
          {found.data.items.map((p) => (
            <li key={p.id} role="option" aria-selected={piece?.id === p.id}>
              <button
                type="button"
                className="link"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => {
                  onChange(p);
                  setOpen(false);
                  setQ('');
                }}
              >
                {p.title}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
