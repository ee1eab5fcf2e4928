import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, post, useTags } from '../api';
import { TagOptions } from '../Pager';

interface Preset {
  id: string;
  name: string;
  kind: 'statutory' | 'shopping';
  holidays: string[];
  workdays: string[];
}

/** 节假日免发: a year's holidays from the library, chosen for a tag's groups; never typed by hand. */
export function HolidayPresets({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear() + 1);
  const [chosen, setChosen] = useState<string[]>([]);
  const [tag, setTag] = useState('');
  const tags = useTags();
  const presets = useQuery({
    queryKey: ['holidays', year],
    queryFn: () => api<{ statutoryKnown: boolean; presets: Preset[] }>(`/v1/holidays?year=${year}`),
  });
  const apply = useMutation({
    mutationFn: () =>
      post<{ groups: number; unchanged: number; dates: string[] }>('/v1/holidays/apply', { presets: chosen, tag }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['groups'] }),
  });
  return (
    <div className="editor-form holidays">
      <h2>{t('holidays.title')}</h2>
      <label>
        {t('holidays.year')}
        <select name="holidayYear" value={year} onChange={(e) => (setYear(Number(e.target.value)), setChosen([]))}>
          {[0, 1, 2].map((ahead) => {
            const y = new Date().getFullYear() - 1 + ahead;
            return (
              <option key={y} value={y}>
                {y}
              </option>
            );
          })}
        </select>
      </label>
      {presets.data && !presets.data.statutoryKnown && <p className="notice">{t('holidays.unknownYear', { year })}</p>}
      <ul className="presets">
        {presets.data?.presets.map((p) => (
          <li key={p.id} data-preset={p.id}>
            <label>
              <input
                type="checkbox"
                checked={chosen.includes(p.id)}
                onChange={() => setChosen(chosen.includes(p.id) ? chosen.filter((x) => x !== p.id) : [...chosen, p.id])}
              />
              <strong>{p.name}</strong>{' '}
              <span className="muted">
                {t('holidays.off', {
                  from: p.holidays[0],
                  to: p.holidays[p.holidays.length - 1],
                  n: p.holidays.length,
                })}
                {p.workdays.length > 0 && ` · ${t('holidays.workdays', { days: p.workdays.join('、') })}`}
              </span>
            </label>
          </li>
        ))}
      </ul>
      <label>
        {t('holidays.forTag')}
        <select name="holidayTag" value={tag} onChange={(e) => setTag(e.target.value)}>
          <option value="" />
          <TagOptions tags={tags.data} />
        </select>
      </label>
      {apply.data && (
        <p className="ok">
          {t('holidays.applied', {
            groups: apply.data.groups,
            unchanged: apply.data.unchanged,
            n: apply.data.dates.length,
          })}
        </p>
      )}
      {apply.error && <p className="error">{t('error', { message: apply.error.message })}</p>}
      <div className="actions">
        <button className="secondary" onClick={onClose}>
          {t('post.close')}
        </button>
        <button
          name="applyHolidays"
          disabled={chosen.length === 0 || !tag || apply.isPending}
          onClick={() => apply.mutate()}
        >
          {t('holidays.apply')}
        </button>
      </div>
    </div>
  );
}
