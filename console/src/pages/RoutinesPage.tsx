import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, Group, Page, api, post, useGroupsById, useTags } from '../api';
import { useConfirm } from '../dialog';
import { GroupPicker } from '../GroupPicker';
import { FieldErrors, fieldError } from '../FieldErrors';
import { useCanAct } from '../session';
import { colour } from '../status';

type Schedule = { every: 'day'; at: string } | { every: 'week'; at: string; weekdays: number[] };
type Source =
  { mode: 'current'; kind: string; tag?: string } | { mode: 'pool'; tag: string; kind?: string; noRepeatDays?: number };

interface Routine {
  id: string;
  name: string;
  audience: { groupIds: string[]; tags: string[] };
  schedule: Schedule;
  stage: string;
  source: Source;
  startDate: string | null;
  endDate: string | null;
  status: 'active' | 'paused' | 'archived';
}

interface Slot {
  groupId: string;
  dueAt: string;
  localDate: string;
  status: string;
  postId: string | null;
  piece: { id: string; title: string } | null;
  reason: string | null;
}

interface Kind {
  name: string;
  label: string;
}

const STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

/** A routine as the form edits it: every field a string or a list, turned into the API's shape on save. */
interface Draft {
  name: string;
  every: 'day' | 'week';
  at: string;
  weekdays: number[];
  stage: string;
  mode: 'current' | 'pool';
  kind: string;
  tag: string;
  noRepeatDays: string;
  tags: string[];
  groups: Pick<Group, 'id' | 'name'>[];
  startDate: string;
  endDate: string;
}

const EMPTY: Draft = {
  name: '',
  every: 'day',
  at: '08:00',
  weekdays: [1, 2, 3, 4, 5],
  stage: 'educate',
  mode: 'current',
  kind: '',
  tag: '',
  noRepeatDays: '14',
  tags: [],
  groups: [],
  startDate: '',
  endDate: '',
};

function draftOf(routine: Routine, names: Map<string, Group>): Draft {
  return {
    name: routine.name,
    every: routine.schedule.every,
    at: routine.schedule.at,
    weekdays: routine.schedule.every === 'week' ? routine.schedule.weekdays : EMPTY.weekdays,
    stage: routine.stage,
    mode: routine.source.mode,
    kind: routine.source.kind ?? '',
    tag: routine.source.tag ?? '',
    noRepeatDays: String((routine.source.mode === 'pool' && routine.source.noRepeatDays) || 14),
    tags: routine.audience.tags,
    groups: routine.audience.groupIds.map((id) => ({ id, name: names.get(id)?.name ?? '…' })),
    startDate: routine.startDate ?? '',
    endDate: routine.endDate ?? '',
  };
}

function bodyOf(draft: Draft) {
  return {
    name: draft.name.trim(),
    schedule:
      draft.every === 'day'
        ? { every: 'day', at: draft.at }
        : { every: 'week', at: draft.at, weekdays: [...draft.weekdays].sort() },
    stage: draft.stage,
    source:
      draft.mode === 'current'
        ? { mode: 'current', kind: draft.kind, ...(draft.tag ? { tag: draft.tag } : {}) }
        : {
            mode: 'pool',
            tag: draft.tag,
            ...(draft.kind ? { kind: draft.kind } : {}),
            noRepeatDays: Number(draft.noRepeatDays),
          },
    audience: { tags: draft.tags, groupIds: draft.groups.map((g) => g.id) },
    startDate: draft.startDate || null,
    endDate: draft.endDate || null,
  };
}

function RoutineForm({
  routine,
  kinds,
  onDone,
}: {
  routine: Routine | null;
  kinds: Kind[];
  onDone: (saved: Routine) => void;
}) {
  const { t } = useTranslation();
  const names = useGroupsById(routine?.audience.groupIds ?? []);
  const [draft, setDraft] = useState<Draft | null>(routine ? null : EMPTY);
  const shown = draft ?? (routine ? draftOf(routine, names) : EMPTY);
  const set = (change: Partial<Draft>) => setDraft({ ...shown, ...change });
  const tags = useTags();
  const save = useMutation({
    mutationFn: () =>
      routine
        ? api<Routine>(`/v1/routines/${routine.id}`, { method: 'PATCH', body: bodyOf(shown) })
        : post<Routine>('/v1/routines', bodyOf(shown)),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <form className="editor-form routine-form" onSubmit={submit}>
      <h2>{routine ? t('routines.edit', { name: routine.name }) : t('routines.new')}</h2>
      <label>
        {t('routines.name')}
        <input name="name" value={shown.name} onChange={(e) => set({ name: e.target.value })} required />
      </label>
      {fieldError(error, 'name')}
      <fieldset>
        <legend>{t('routines.schedule')}</legend>
        <label>
          <input type="radio" name="every" checked={shown.every === 'day'} onChange={() => set({ every: 'day' })} />
          {t('routines.daily')}
        </label>
        <label>
          <input type="radio" name="every" checked={shown.every === 'week'} onChange={() => set({ every: 'week' })} />
          {t('routines.weekly')}
        </label>
        {shown.every === 'week' &&
          WEEKDAYS.map((day) => (
            <label key={day} className="chip">
              <input
                type="checkbox"
                name={`weekday-${day}`}
                checked={shown.weekdays.includes(day)}
                onChange={() =>
                  set({
                    weekdays: shown.weekdays.includes(day)
                      ? shown.weekdays.filter((d) => d !== day)
                      : [...shown.weekdays, day],
                  })
                }
              />
              {t(`weekday.${day}`)}
            </label>
          ))}
        <label>
          {t('routines.at')}
          <input name="at" type="time" value={shown.at} onChange={(e) => set({ at: e.target.value })} required />
        </label>
        <span className="hint">{t('routines.localTime')}</span>
      </fieldset>
      {fieldError(error, 'schedule')}
      <fieldset>
        <legend>{t('routines.source')}</legend>
        <label>
          <input
            type="radio"
            name="mode"
            checked={shown.mode === 'current'}
            onChange={() => set({ mode: 'current' })}
          />
          {t('routines.current')}
        </label>
        <label>
          <input type="radio" name="mode" checked={shown.mode === 'pool'} onChange={() => set({ mode: 'pool' })} />
          {t('routines.pool')}
        </label>
        <label>
          {t('filter.kind')}
          <select
            name="kind"
            value={shown.kind}
            onChange={(e) => set({ kind: e.target.value })}
            required={shown.mode === 'current'}
          >
            <option value="">{shown.mode === 'pool' ? t('filter.all') : ''}</option>
            {kinds.map((k) => (
              <option key={k.name} value={k.name}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('routines.contentTag')}
          <input
            name="sourceTag"
            value={shown.tag}
            onChange={(e) => set({ tag: e.target.value })}
            required={shown.mode === 'pool'}
          />
        </label>
        {shown.mode === 'pool' && (
          <label>
            {t('routines.noRepeatDays')}
            <input
              name="noRepeatDays"
              type="number"
              min={0}
              max={365}
              value={shown.noRepeatDays}
              onChange={(e) => set({ noRepeatDays: e.target.value })}
            />
          </label>
        )}
      </fieldset>
      {fieldError(error, 'source')}
      <label>
        {t('routines.stage')}
        <select name="stage" value={shown.stage} onChange={(e) => set({ stage: e.target.value })}>
          {STAGES.map((stage) => (
            <option key={stage} value={stage}>
              {t(`stage.${stage}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="tags">
        <legend>{t('plan.audienceTags')}</legend>
        {tags.data?.map(({ tag, groups }) => (
          <label key={tag} className="chip">
            <input
              type="checkbox"
              value={tag}
              checked={shown.tags.includes(tag)}
              onChange={() =>
                set({ tags: shown.tags.includes(tag) ? shown.tags.filter((x) => x !== tag) : [...shown.tags, tag] })
              }
            />
            {tag} <span className="muted">{t('plan.tagGroups', { n: groups })}</span>
          </label>
        ))}
      </fieldset>
      <label>
        {t('plan.audienceGroups')}
        <GroupPicker chosen={shown.groups} onChange={(groups) => set({ groups })} multiple name="routineGroup" />
      </label>
      {fieldError(error, 'audience')}
      <label>
        {t('routines.startDate')}
        <input
          name="startDate"
          type="date"
          value={shown.startDate}
          onChange={(e) => set({ startDate: e.target.value })}
        />
      </label>
      <label>
        {t('routines.endDate')}
        <input name="endDate" type="date" value={shown.endDate} onChange={(e) => set({ endDate: e.target.value })} />
      </label>
      <FieldErrors error={error} known={['name', 'schedule', 'source', 'audience']} />
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {t('save')}
        </button>
      </div>
    </form>
  );
}

/** What each group's slots will send in the coming days, and the dates with nothing written yet. */
function RoutinePlan({ routine, kinds }: { routine: Routine; kinds: Kind[] }) {
  const { t } = useTranslation();
  const [days, setDays] = useState(7);
  const plan = useQuery({
    queryKey: ['routine-plan', routine.id, days],
    queryFn: () =>
      api<{ slots: Slot[]; totalGroups: number }>(`/v1/routines/${routine.id}/plan?days=${days}&pageSize=100`),
  });
  const slots = plan.data?.slots ?? [];
  const names = useGroupsById(slots.map((s) => s.groupId));
  const dates = [...new Set(slots.map((s) => s.localDate))].sort();
  const groups = [...new Set(slots.map((s) => s.groupId))].sort((a, b) =>
    (names.get(a)?.name ?? '').localeCompare(names.get(b)?.name ?? ''),
  );
  const at = new Map(slots.map((s) => [`${s.groupId}:${s.localDate}`, s]));
  const kindLabel = kinds.find((k) => k.name === routine.source.kind)?.label ?? routine.source.kind ?? '';
  const missing = dates.filter((date) =>
    slots.some((s) => s.localDate === date && !s.piece && ['planned', 'skipped'].includes(s.status)),
  );
  return (
    <div className="routine-plan">
      <div className="toolbar">
        <h3>{t('routines.plan')}</h3>
        {[7, 14].map((n) => (
          <label key={n}>
            <input type="radio" name="days" checked={days === n} onChange={() => setDays(n)} />
            {t('routines.days', { n })}
          </label>
        ))}
      </div>
      {missing.length > 0 && (
        <ul className="warnings" role="alert">
          {missing.map((date) => (
            <li key={date} data-missing={date}>
              {routine.source.mode === 'current'
                ? t('routines.missingCurrent', { date: dayLabel(date, t), kind: kindLabel })
                : t('routines.missingPool', { date: dayLabel(date, t), tag: routine.source.tag })}
            </li>
          ))}
        </ul>
      )}
      {plan.data && (plan.data.totalGroups ?? 0) > groups.length && (
        <p className="muted">{t('routines.firstGroups', { shown: groups.length, total: plan.data.totalGroups })}</p>
      )}
      <div className="grid-scroll">
        <table className="week">
          <thead>
            <tr>
              <th>{t('filter.group')}</th>
              {dates.map((date) => (
                <th key={date}>{dayLabel(date, t)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((groupId) => (
              <tr key={groupId} data-group={names.get(groupId)?.name}>
                <td>{names.get(groupId)?.name ?? '…'}</td>
                {dates.map((date) => {
                  const slot = at.get(`${groupId}:${date}`);
                  if (!slot) return <td key={date} />;
                  return (
                    <td key={date} data-date={date} data-status={slot.status}>
                      {slot.piece ? (
                        <span className="badge" style={{ background: colour(slot.status) }}>
                          {slot.piece.title}
                        </span>
                      ) : (
                        <span className="error">{t('routines.nothing')}</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** 12-09 周三: the local date as the operator reads a calendar. */
function dayLabel(date: string, t: (key: string) => string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
  return `${date.slice(5)} ${t(`weekday.${weekday}`)}`;
}

function scheduleText(routine: Routine, t: (key: string, options?: Record<string, unknown>) => string): string {
  const { schedule } = routine;
  if (schedule.every === 'day') return t('routines.dailyAt', { at: schedule.at });
  return t('routines.weeklyAt', { days: schedule.weekdays.map((d) => t(`weekday.${d}`)).join('、'), at: schedule.at });
}

/** 日常: every routine, its schedule and source; create and edit; the coming week per group. */
export function RoutinesPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const client = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<Routine | 'new' | null>(null);
  const routines = useQuery({
    queryKey: ['routines'],
    queryFn: () => api<Page<Routine>>('/v1/routines?pageSize=100'),
  });
  const kinds = useQuery({ queryKey: ['kinds'], queryFn: () => api<Kind[]>('/v1/kinds') });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'pause' | 'resume' | 'archive' }) =>
      post<Routine>(`/v1/routines/${id}/${action}`),
    onSettled: () => client.invalidateQueries({ queryKey: ['routines'] }),
  });
  const [ask, dialog] = useConfirm();
  const shown = routines.data?.items.find((r) => r.id === open) ?? null;
  return (
    <section className="routines-page">
      {dialog}
      <div className="toolbar">
        {canAct && (
          <button onClick={() => setEditing('new')} name="newRoutine">
            {t('routines.new')}
          </button>
        )}
      </div>
      {act.error && <p className="error">{t('error', { message: act.error.message })}</p>}
      {routines.data?.items.length === 0 && <p className="muted">{t('routines.none')}</p>}
      <table>
        <tbody>
          {routines.data?.items.map((routine) => (
            <tr key={routine.id} data-routine={routine.name} className={routine.id === open ? 'current' : ''}>
              <td>
                <button className="link" onClick={() => setOpen(routine.id === open ? null : routine.id)}>
                  <strong>{routine.name}</strong>
                </button>
              </td>
              <td>{scheduleText(routine, t)}</td>
              <td>
                {routine.source.mode === 'current'
                  ? t('routines.currentOf', {
                      kind: kinds.data?.find((k) => k.name === routine.source.kind)?.label ?? routine.source.kind,
                    })
                  : t('routines.poolOf', { tag: routine.source.tag })}
              </td>
              <td>{routine.audience.tags.join('、')}</td>
              <td>
                <span className="badge" style={{ background: colour(routine.status === 'active' ? 'sent' : 'paused') }}>
                  {t(`status.${routine.status}`)}
                </span>
              </td>
              <td className="row-actions">
                {canAct && routine.status !== 'archived' && (
                  <>
                    <button className="link" onClick={() => setEditing(routine)}>
                      {t('edit')}
                    </button>
                    {routine.status === 'active' ? (
                      <button className="link" onClick={() => act.mutate({ id: routine.id, action: 'pause' })}>
                        {t('runs.pause')}
                      </button>
                    ) : (
                      <button className="link" onClick={() => act.mutate({ id: routine.id, action: 'resume' })}>
                        {t('runs.resume')}
                      </button>
                    )}
                    <button
                      className="link danger-text"
                      onClick={() =>
                        ask(
                          {
                            title: t('routines.archiveTitle', { name: routine.name }),
                            body: t('routines.archiveBody'),
                            confirm: t('routines.archiveConfirm'),
                            danger: true,
                          },
                          () => act.mutate({ id: routine.id, action: 'archive' }),
                        )
                      }
                    >
                      {t('archive')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <RoutineForm
          key={editing === 'new' ? 'new' : editing.id}
          routine={editing === 'new' ? null : editing}
          kinds={kinds.data ?? []}
          onDone={(saved) => {
            setEditing(null);
            setOpen(saved.id);
            void client.invalidateQueries({ queryKey: ['routines'] });
            void client.invalidateQueries({ queryKey: ['routine-plan', saved.id] });
          }}
        />
      )}
      {shown && <RoutinePlan routine={shown} kinds={kinds.data ?? []} />}
    </section>
  );
}
