import type { DatesSetArg, EventClickArg, EventDropArg, EventInput } from '@fullcalendar/core';
import type { DateClickArg } from '@fullcalendar/interaction';
import interactionPlugin from '@fullcalendar/interaction';
import zhCn from '@fullcalendar/core/locales/zh-cn';
import dayGridPlugin from '@fullcalendar/daygrid';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, Group, api, download, idempotencyKey, post, useTags } from '../api';
import { PieceSummary, PiecePicker } from '../PiecePicker';
import { Modal } from '../dialog';
import { useCanAct } from '../session';
import { GroupPicker } from '../GroupPicker';
import { PostDetail } from '../PostDetail';
import { colour, shownStatus } from '../status';
import { twoZones } from '../time';

interface Entry {
  postId: string | null;
  runId: string | null;
  routineId: string | null;
  step: number | null;
  stage: string;
  dueAt: string;
  localDate: string;
  localTime: string;
  title: string | null;
  status: string;
  reason: string | null;
}

interface CalendarGroup {
  groupId: string;
  name: string;
  timezone: string;
  days: { date: string; entries: Entry[] }[];
}

const PLUGINS = [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin];
/** A post still waiting can be dragged to another time; one on its way or done cannot. */
const MOVABLE = new Set(['scheduled', 'queued', 'deferred']);
const LOCALES = [zhCn];
const TOOLBAR = { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek' };
/** On a phone a week is a list: seven columns of 50 px cannot be read. */
const PHONE_TOOLBAR = { left: 'prev,next', center: 'title', right: 'today' };
const PHONE = '(max-width: 640px)';

function usePhone(): boolean {
  return useSyncExternalStore(
    (change) => {
      const query = window.matchMedia(PHONE);
      query.addEventListener('change', change);
      return () => query.removeEventListener('change', change);
    },
    () => window.matchMedia(PHONE).matches,
  );
}

/** An entry drawn as a short block on its own local day: 23:30 never spills into the next day. */
function endOf(localDate: string, localTime: string): string {
  const [h, m] = localTime.split(':').map(Number);
  const minutes = Math.min(h * 60 + m + 30, 23 * 60 + 59);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${localDate}T${hh}:${mm}`;
}
const DAY_MS = 86_400_000;
/** The API gives at most 31 days at a time; a month view shows six weeks. */
const WINDOW_DAYS = 28;

/** Every group's posts and routine slots in the window, asked a month at a time. */
async function calendar(from: Date, to: Date, filter: { groupId: string; tag: string }): Promise<CalendarGroup[]> {
  const byGroup = new Map<string, CalendarGroup>();
  for (let start = from.getTime(); start < to.getTime(); start += WINDOW_DAYS * DAY_MS) {
    const end = Math.min(to.getTime(), start + WINDOW_DAYS * DAY_MS);
    const query = new URLSearchParams({
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      pageSize: '200',
    });
    if (filter.groupId) query.set('groupId', filter.groupId);
    if (filter.tag) query.set('tag', filter.tag);
    const page = await api<{ groups: CalendarGroup[] }>(`/v1/calendar?${query}`);
    for (const group of page.groups) {
      const known = byGroup.get(group.groupId);
      if (known) known.days.push(...group.days);
      else byGroup.set(group.groupId, { ...group, days: [...group.days] });
    }
  }
  return [...byGroup.values()];
}

interface Move {
  entry: Entry & { group: CalendarGroup };
  /** The new local date and time, as the operator dropped it. */
  to: string;
  byMinutes: number;
  revert: () => void;
}

/**
 * Asks where a dragged post goes: this group only, or its whole step for every group of the run.
 * A time that breaks a group's rules comes back with the reason and can be kept on purpose.
 */
function MoveDialog({ move, onDone }: { move: Move; onDone: (moved: boolean) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [refused, setRefused] = useState<{ scope: 'post' | 'step'; reasons: string[] } | null>(null);
  const act = useMutation({
    mutationFn: ({ scope, force }: { scope: 'post' | 'step'; force: boolean }) =>
      scope === 'post'
        ? post(`/v1/posts/${move.entry.postId}/reschedule`, {
            dueAt: new Date(Date.parse(move.entry.dueAt) + move.byMinutes * 60_000).toISOString(),
            force,
          })
        : post(`/v1/runs/${move.entry.runId}/steps/${move.entry.step}/reschedule`, {
            byMinutes: move.byMinutes,
            force,
          }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['calendar'] });
      onDone(true);
    },
    onError: (error, { scope }) => {
      if (error instanceof ApiError && error.status === 422)
        setRefused({ scope, reasons: error.body?.details?.map((d) => d.message) ?? [error.message] });
    },
  });
  const cancel = () => {
    move.revert();
    onDone(false);
  };
  return (
    <Modal label={t('move.title')} onClose={cancel} className="confirm move-dialog">
      <h2>{t('move.title')}</h2>
      <p>{t('move.body', { group: move.entry.group.name, to: move.to.replace('T', ' ') })}</p>
      {refused && (
        <div className="notice" role="alert">
          <p>{t('move.refused')}</p>
          <ul>
            {refused.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {act.error && !(act.error instanceof ApiError && act.error.status === 422) && (
        <p className="error">{t('error', { message: act.error.message })}</p>
      )}
      <div className="actions">
        <button className="secondary" data-autofocus onClick={cancel}>
          {t('dialog.back')}
        </button>
        {refused ? (
          <button disabled={act.isPending} onClick={() => act.mutate({ scope: refused.scope, force: true })}>
            {t('move.force')}
          </button>
        ) : (
          <>
            <button disabled={act.isPending} onClick={() => act.mutate({ scope: 'post', force: false })}>
              {t('move.onlyThis')}
            </button>
            {move.entry.runId && move.entry.step !== null && (
              <button disabled={act.isPending} onClick={() => act.mutate({ scope: 'step', force: false })}>
                {t('move.wholeStep')}
              </button>
            )}
          </>
        )}
      </div>
    </Modal>
  );
}

const STAGES = ['activate', 'educate', 'trigger_need', 'trigger_emotion', 'close'];

/** Whole days from today (the viewer's) to a local date: a run's day N, as each group counts it. */
function daysFromToday(date: string): number {
  const today = new Date();
  const local = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - local) / DAY_MS);
}

/**
 * A post planned from an empty slot: one piece, on that day at that time in each group's own zone,
 * to the group or tag the calendar shows. Made as a one-step campaign and launched once.
 */
function OneOffDialog({
  slot,
  audience,
  onDone,
}: {
  slot: { date: string; time: string };
  audience: { group: Pick<Group, 'id' | 'name'> | null; tag: string };
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [piece, setPiece] = useState<PieceSummary | null>(null);
  const [time, setTime] = useState(slot.time);
  const [stage, setStage] = useState('educate');
  const [key] = useState(idempotencyKey);
  const day = daysFromToday(slot.date);
  const plan = useMutation({
    mutationFn: async () => {
      const campaign = await post<{ id: string }>('/v1/campaigns', {
        name: t('oneOff.campaignName', { title: piece!.title, date: slot.date, time }),
        steps: [{ stage, contentId: piece!.id, timing: { day, at: time } }],
      });
      return post(
        `/v1/campaigns/${campaign.id}/runs`,
        { audience: audience.group ? { groupIds: [audience.group.id] } : { tags: [audience.tag] } },
        { 'Idempotency-Key': key },
      );
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['calendar'] });
      onDone();
    },
  });
  const past = day < 0;
  return (
    <Modal label={t('oneOff.title')} onClose={onDone} className="confirm one-off">
      <h2>{t('oneOff.title')}</h2>
      <p>
        {t('oneOff.body', {
          date: slot.date,
          to: audience.group ? audience.group.name : t('oneOff.tag', { tag: audience.tag }),
        })}
      </p>
      <div className="editor-form plain-form">
        <label>
          {t('routines.at')}
          <input name="oneOffTime" type="time" value={time} onChange={(e) => setTime(e.target.value)} />
          <span className="hint">{t('routines.localTime')}</span>
        </label>
        <label>
          {t('campaigns.stage')}
          <select name="oneOffStage" value={stage} onChange={(e) => setStage(e.target.value)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('oneOff.piece')}
          <PiecePicker piece={piece} onChange={setPiece} name="oneOffPiece" />
        </label>
      </div>
      {past && <p className="error">{t('oneOff.past')}</p>}
      {plan.error && <p className="error">{t('error', { message: plan.error.message })}</p>}
      <div className="actions">
        <button className="secondary" data-autofocus onClick={onDone}>
          {t('dialog.back')}
        </button>
        <button name="planOneOff" disabled={!piece || past || plan.isPending} onClick={() => plan.mutate()}>
          {t('oneOff.confirm')}
        </button>
      </div>
    </Modal>
  );
}

/** A routine's slot not made into a post yet: what it will send, or why nothing. */
function SlotDialog({ entry, onClose }: { entry: Entry & { group: CalendarGroup }; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal label={t('slot.title')} onClose={onClose} className="confirm slot">
      <h2>{t('slot.title')}</h2>
      <dl>
        <dt>{t('post.group')}</dt>
        <dd>{entry.group.name}</dd>
        <dt>{t('post.due')}</dt>
        <dd>{twoZones(entry.dueAt, entry.group.timezone)}</dd>
        <dt>{t('slot.piece')}</dt>
        <dd>{entry.title ?? t('slot.none')}</dd>
        {entry.reason && (
          <>
            <dt>{t('post.reason')}</dt>
            <dd className="reason">{entry.reason}</dd>
          </>
        )}
      </dl>
      <div className="actions">
        <a href="#/routines">{t('slot.toRoutines')}</a>
        <button className="secondary" data-autofocus onClick={onClose}>
          {t('post.close')}
        </button>
      </div>
    </Modal>
  );
}

/**
 * 群日历: each post or routine slot on its group's local day and time, coloured by status, with
 * its stage and title; a click opens the post.
 */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<{ start: Date; end: Date; current: { start: Date; end: Date } } | null>(null);
  const [chosen, setChosen] = useState<{ group: Pick<Group, 'id' | 'name'> | null; tag: string } | null>(null);
  const [open, setOpen] = useState<{ id: string; group: { name: string; timezone: string } } | null>(null);
  const phone = usePhone();
  const canAct = useCanAct();
  const [moving, setMoving] = useState<Move | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [oneOff, setOneOff] = useState<{ date: string; time: string } | null>(null);
  const [slot, setSlot] = useState<(Entry & { group: CalendarGroup }) | null>(null);
  const tags = useTags();
  // The calendar is asked for one group or one tag at a time (or both: the group, if it has the tag);
  // the first tag until the operator picks.
  const choice = chosen ?? { group: null, tag: tags.data?.[0]?.tag ?? '' };
  const filter = { groupId: choice.group?.id ?? '', tag: choice.tag };
  const filtered = filter.groupId !== '' || filter.tag !== '';
  // Local days are the groups' own: ask a day wider on each side and place entries by their local date.
  const entries = useQuery({
    queryKey: ['calendar', range?.start.toISOString(), range?.end.toISOString(), filter],
    queryFn: () => calendar(new Date(range!.start.getTime() - DAY_MS), new Date(range!.end.getTime() + DAY_MS), filter),
    enabled: range !== null && filtered,
    refetchInterval: 5000,
  });
  const events = useMemo<EventInput[]>(() => {
    if (!entries.data || !range) return [];
    const first = range.start.toISOString().slice(0, 10);
    const last = new Date(range.end.getTime() - 1).toISOString().slice(0, 10);
    return entries.data.flatMap((group) =>
      group.days
        .filter((day) => day.date >= first && day.date <= last)
        .flatMap((day) =>
          day.entries.map((entry) => {
            const status = shownStatus(entry.status, entry.reason);
            return {
              id: entry.postId ?? `${group.groupId}:${entry.routineId}:${entry.dueAt}`,
              title: `${t(`stage.${entry.stage}`, { defaultValue: entry.stage })} · ${entry.title ?? ''} · ${group.name}`,
              // Wall-clock time in the group's zone: the calendar itself runs in UTC so nothing shifts it.
              start: `${entry.localDate}T${entry.localTime}`,
              end: endOf(entry.localDate, entry.localTime),
              backgroundColor: colour(status),
              borderColor: colour(status),
              startEditable: canAct && entry.postId !== null && MOVABLE.has(status),
              durationEditable: false,
              extendedProps: { ...entry, status, group },
            };
          }),
        ),
    );
  }, [entries.data, range, t, canAct]);

  const buttonText = useMemo(() => ({ month: t('month'), week: t('week') }), [t]);
  const onDrop = (arg: EventDropArg) => {
    const entry = arg.event.extendedProps as Entry & { group: CalendarGroup };
    const byMinutes = Math.round((arg.delta.days * 86_400_000 + arg.delta.milliseconds) / 60_000);
    if (byMinutes === 0) return arg.revert();
    setMoving({ entry, to: arg.event.startStr.slice(0, 16), byMinutes, revert: arg.revert });
  };
  const onClick = (arg: EventClickArg) => {
    const entry = arg.event.extendedProps as Entry & { group: CalendarGroup };
    if (entry.postId) setOpen({ id: entry.postId, group: entry.group });
    else setSlot(entry);
  };
  const onDateClick = (arg: DateClickArg) => {
    if (!canAct || !filtered) return;
    const [date, time] = arg.dateStr.split('T');
    setOneOff({ date, time: time ? time.slice(0, 5) : '10:00' });
  };

  return (
    <section className="calendar-page">
      <div className="filters">
        <label>
          {t('filter.group')}
          <GroupPicker
            chosen={choice.group ? [choice.group] : []}
            onChange={(groups) => setChosen({ ...choice, group: groups[0] ?? null })}
          />
        </label>
        <label>
          {t('filter.tag')}
          <select name="tag" value={choice.tag} onChange={(e) => setChosen({ ...choice, tag: e.target.value })}>
            <option value="" />
            {tags.data?.map(({ tag }) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
        <ul className="legend">
          {[
            'planned',
            'scheduled',
            'deferred',
            'sent',
            'failed',
            'unconfirmed',
            'awaiting_confirmation',
            'skipped',
          ].map((status) => (
            <li key={status}>
              <span className="dot" style={{ background: colour(status) }} /> {t(`status.${status}`)}
            </li>
          ))}
        </ul>
      </div>
      {filtered && range && (
        <div className="toolbar exports">
          {(['xlsx', 'ics'] as const).map((format) => (
            <button
              key={format}
              className="secondary"
              name={`export-${format}`}
              onClick={() => {
                // The days the view shows as each group lives them: a day wider in instants, cut by local date.
                const [start, end] = [range.current.start, range.current.end];
                const query = new URLSearchParams({
                  from: new Date(start.getTime() - DAY_MS).toISOString(),
                  to: new Date(Math.min(end.getTime() + DAY_MS, start.getTime() + 30 * DAY_MS)).toISOString(),
                  fromDate: start.toISOString().slice(0, 10),
                  toDate: new Date(end.getTime() - 1).toISOString().slice(0, 10),
                  format,
                });
                if (filter.groupId) query.set('groupId', filter.groupId);
                if (filter.tag) query.set('tag', filter.tag);
                download(`/v1/calendar/export?${query}`, `calendar.${format}`).catch((e: Error) =>
                  setExportError(e.message),
                );
              }}
            >
              {t(`calendar.export.${format}`)}
            </button>
          ))}
          {exportError && <span className="error">{t('error', { message: exportError })}</span>}
        </div>
      )}
      {tags.data && !filtered && <p className="muted">{t('filter.pick')}</p>}
      {entries.data?.length === 0 && choice.group && choice.tag && (
        <p className="notice" role="status">
          {t('filter.noMatch', { group: choice.group.name, tag: choice.tag })}
        </p>
      )}
      {entries.error && <p className="error">{t('error', { message: entries.error.message })}</p>}
      <FullCalendar
        plugins={PLUGINS}
        key={phone ? 'phone' : 'desk'}
        initialView={phone ? 'listWeek' : 'dayGridMonth'}
        timeZone="UTC"
        locales={LOCALES}
        locale={i18n.language === 'zh' ? 'zh-cn' : 'en'}
        headerToolbar={phone ? PHONE_TOOLBAR : TOOLBAR}
        buttonText={buttonText}
        events={events}
        datesSet={(arg: DatesSetArg) =>
          // FullCalendar tells the dates again on every render: only a new window is a change.
          setRange((old) =>
            old?.start.getTime() === arg.start.getTime() && old.end.getTime() === arg.end.getTime()
              ? old
              : { start: arg.start, end: arg.end, current: { start: arg.view.currentStart, end: arg.view.currentEnd } },
          )
        }
        eventClick={onClick}
        eventDrop={onDrop}
        dateClick={onDateClick}
        snapDuration="00:15"
        scrollTime="08:00"
        slotMinTime="06:00"
        slotMaxTime="24:00"
        // The class follows the status as it changes; the element (and what eventDidMount wrote) stays.
        eventClassNames={(arg) => [`status-${(arg.event.extendedProps as Entry).status}`]}
        eventDidMount={(arg) => {
          const entry = arg.event.extendedProps as Entry & { group: CalendarGroup };
          arg.el.dataset.group = entry.group.name;
          arg.el.dataset.date = entry.localDate;
          arg.el.title = `${arg.event.title}\n${twoZones(entry.dueAt, entry.group.timezone)}`;
        }}
        eventDisplay="block"
        dayMaxEvents={12}
        height="auto"
      />
      {oneOff && <OneOffDialog slot={oneOff} audience={choice} onDone={() => setOneOff(null)} />}
      {slot && <SlotDialog entry={slot} onClose={() => setSlot(null)} />}
      {moving && <MoveDialog move={moving} onDone={() => setMoving(null)} />}
      {open && <PostDetail id={open.id} group={open.group} onClose={() => setOpen(null)} />}
    </section>
  );
}
