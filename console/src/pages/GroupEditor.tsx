import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, Group, api } from '../api';
import { Modal } from '../dialog';
import { FieldErrors, fieldError } from '../FieldErrors';
import { useMe } from '../session';
import { PolicyFields, Rules } from './PolicyFields';

/** One group's tags, zone (admin) and rules, with the global rule it follows shown beside each. */
export function GroupEditor({ group, onClose }: { group: Group; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const admin = useMe().role === 'admin';
  const global = useQuery({ queryKey: ['policy'], queryFn: () => api<Rules>('/v1/policies') });
  const [tags, setTags] = useState(group.tags.join('，'));
  const [timezone, setTimezone] = useState(group.timezone);
  const [rules, setRules] = useState<Rules>({
    quietHours: group.quietHours,
    minGapMinutes: group.minGapMinutes,
    dailyCap: group.dailyCap,
    promoCap: group.promoCap,
  });
  const save = useMutation({
    mutationFn: () =>
      api<Group>(`/v1/groups/${group.id}`, {
        method: 'PATCH',
        body: {
          tags: tags
            .split(/[,，、\s]+/)
            .map((s) => s.trim())
            .filter(Boolean),
          ...rules,
          ...(admin && timezone !== group.timezone ? { timezone } : {}),
        },
      }),
    onSuccess: () => onClose(true),
  });
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <Modal label={t('groups.editTitle', { name: group.name })} onClose={() => onClose(false)} className="group-editor">
      <h2>{t('groups.editTitle', { name: group.name })}</h2>
      <form
        className="editor-form plain-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label className="stacked">
          {t('groups.tagsField')}
          <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} data-autofocus />
        </label>
        {fieldError(error, 'tags')}
        <label className="stacked">
          {t('groups.timezone')}
          <input name="timezone" value={timezone} disabled={!admin} onChange={(e) => setTimezone(e.target.value)} />
        </label>
        {fieldError(error, 'timezone')}
        {global.data && <PolicyFields value={rules} onChange={setRules} inherited={global.data} />}
        <FieldErrors error={error} known={['tags', 'timezone']} />
        <div className="actions">
          <button type="button" className="secondary" onClick={() => onClose(false)}>
            {t('dialog.back')}
          </button>
          <button type="submit" name="saveGroup" disabled={save.isPending}>
            {t('save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** 全局规则: the rules every group follows unless it sets its own. */
export function GlobalPolicy({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const global = useQuery({
    queryKey: ['policy'],
    queryFn: () => api<Rules & { blackoutDates: string[] | null }>('/v1/policies'),
  });
  const [rules, setRules] = useState<Rules | null>(null);
  const shown = rules ?? global.data ?? null;
  const save = useMutation({
    mutationFn: () => api<Rules>('/v1/policies', { method: 'PATCH', body: shown }),
    onSuccess: () => void global.refetch(),
  });
  return (
    <div className="editor-form global-policy">
      <h2>{t('policy.globalTitle')}</h2>
      <p className="hint">{t('policy.globalHint')}</p>
      {shown && <PolicyFields value={shown} onChange={setRules} />}
      {save.isSuccess && <p className="ok">{t('policy.saved')}</p>}
      {save.error && <p className="error">{t('error', { message: save.error.message })}</p>}
      <div className="actions">
        <button className="secondary" onClick={onClose}>
          {t('post.close')}
        </button>
        <button name="saveGlobal" disabled={!rules || save.isPending} onClick={() => save.mutate()}>
          {t('save')}
        </button>
      </div>
    </div>
  );
}
