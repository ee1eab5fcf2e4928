import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Group, useGroupSearch } from './api';

/**
 * Finds groups by name however many there are: the operator types, the server searches, a click
 * picks. `multiple` keeps a list of chips; otherwise one group (or none) is chosen.
 */
export function GroupPicker({
  chosen,
  onChange,
  multiple = false,
  name = 'group',
}: {
  chosen: Pick<Group, 'id' | 'name'>[];
  onChange: (groups: Pick<Group, 'id' | 'name'>[]) => void;
  multiple?: boolean;
  name?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const found = useGroupSearch(q, open);
  const pick = (group: Group) => {
    onChange(multiple ? [...chosen.filter((g) => g.id !== group.id), { id: group.id, name: group.name }] : [group]);
    setQ('');
    setOpen(false);
  };
  return (
    <div className="picker" data-picker={name}>
      {chosen.map((g) => (
        <span key={g.id} className="chip" data-chosen={g.name}>
          {g.name}
          <button
            type="button"
            className="link"
            aria-label={t('picker.remove', { name: g.name })}
            onClick={() => onChange(chosen.filter((x) => x.id !== g.id))}
          >
            ×
          </button>
        </span>
      ))}
      {(multiple || chosen.length === 0) && (
        <input
          name={name}
          role="combobox"
          aria-expanded={open}
          autoComplete="off"
          placeholder={t('picker.search')}
          value={q}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
            if (e.key === 'Enter' && found.data?.items[0]) {
              e.preventDefault();
              pick(found.data.items[0]);
            }
          }}
          onChange={(e) => {
            setQ(e.target.value);
            setOpen(true);
          }}
        />
      )}
      {open && found.data && (
        <ul className="options" role="listbox">
          {found.data.items.length === 0 && <li className="muted">{t('picker.none')}</li>}
          {found.data.items.map((g) => (
            <li key={g.id} role="option" aria-selected={false}>
              <button type="button" className="link" onMouseDown={(e) => e.preventDefault()} onClick={() => pick(g)}>
                {g.name}
              </button>
              <span className="muted"> {g.tags.join(' ')}</span>
            </li>
          ))}
          {(found.data.total ?? 0) > found.data.items.length && (
            <li className="muted">{t('picker.more', { n: (found.data.total ?? 0) - found.data.items.length })}</li>
          )}
        </ul>
      )}
    </div>
  );
}
