import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Papa from 'papaparse';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, post } from '../api';

/** The columns a sheet may have, by the names operators give them. */
const COLUMNS: Record<string, string> = {
  群名: 'name',
  名称: 'name',
  name: 'name',
  渠道: 'channel',
  channel: 'channel',
  地址: 'address',
  key: 'address',
  机器人key: 'address',
  chatid: 'address',
  address: 'address',
  时区: 'timezone',
  timezone: 'timezone',
  标签: 'tags',
  tags: 'tags',
  免打扰: 'quietHours',
  quiethours: 'quietHours',
  外部id: 'externalId',
  externalid: 'externalId',
};

interface Channel {
  id: string;
  name: string;
  type: string;
}

interface Counts {
  count: number;
  created: number;
  updated: number;
  unchanged: number;
}

type Row = Record<string, unknown>;

/** A sheet's rows as the bulk import takes them; the channel by name or id, else the one chosen. */
export function rowsOf(text: string, channels: Channel[], fallback: string): { rows: Row[]; ignored: string[] } {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  });
  const headers = parsed.meta.fields ?? [];
  const ignored = headers.filter((h) => !COLUMNS[h.toLowerCase()]);
  const rows = parsed.data.map((record) => {
    const row: Row = {};
    for (const [header, raw] of Object.entries(record)) {
      const field = COLUMNS[header.toLowerCase()];
      const value = (raw ?? '').trim();
      if (!field || value === '') continue;
      if (field === 'tags')
        row.tags = value
          .split(/[|、,，;；]/)
          .map((tag) => tag.trim())
          .filter(Boolean);
      else if (field === 'channel')
        row.channelId = channels.find((c) => c.name === value || c.id === value)?.id ?? value;
      else row[field] = value;
    }
    if (!row.channelId && fallback) row.channelId = fallback;
    return row;
  });
  return { rows, ignored };
}

/** 导入社群: a CSV checked as a whole on the server first (every bad row named, nothing written), then imported. */
export function GroupImport({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api<Channel[]>('/v1/channels') });
  const [channelId, setChannelId] = useState('');
  const [file, setFile] = useState<{ name: string; rows: Row[]; ignored: string[] } | null>(null);
  const check = useMutation({
    mutationFn: (rows: Row[]) => post<Counts>('/v1/groups/bulk', { groups: rows, mode: 'upsert', dryRun: true }),
  });
  const run = useMutation({
    mutationFn: (rows: Row[]) => post<Counts>('/v1/groups/bulk', { groups: rows, mode: 'upsert' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['groups'] }),
  });
  const read = async (chosen: File | undefined) => {
    if (!chosen) return;
    const parsed = rowsOf(await chosen.text(), channels.data ?? [], channelId);
    setFile({ name: chosen.name, ...parsed });
    run.reset();
    check.mutate(parsed.rows);
  };
  const error = check.error instanceof ApiError ? check.error : null;
  const bad = (error?.body?.details ?? []).map((d) => {
    const match = /^groups\[(\d+)\]\.?(.*)$/.exec(d.field);
    // The sheet's own line: its header is line 1.
    return { line: match ? Number(match[1]) + 2 : null, field: match?.[2] || d.field, message: d.message };
  });
  return (
    <div className="editor-form group-import">
      <h2>{t('import.title')}</h2>
      <p className="hint">{t('import.columns')}</p>
      <label>
        {t('import.defaultChannel')}
        <select name="importChannel" value={channelId} onChange={(e) => setChannelId(e.target.value)}>
          <option value="" />
          {channels.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('import.file')}
        <input name="importFile" type="file" accept=".csv,text/csv" onChange={(e) => void read(e.target.files?.[0])} />
      </label>
      {file && file.ignored.length > 0 && (
        <p className="hint">{t('import.ignored', { columns: file.ignored.join('、') })}</p>
      )}
      {check.isPending && <p>{t('import.checking')}</p>}
      {bad.length > 0 && (
        <div className="import-problems" role="alert">
          <p className="error">{t('import.bad', { n: new Set(bad.map((b) => b.line)).size, file: file?.name })}</p>
          <table>
            <thead>
              <tr>
                <th>{t('import.line')}</th>
                <th>{t('import.field')}</th>
                <th>{t('import.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {bad.map((b, i) => (
                <tr key={i} data-line={b.line ?? ''}>
                  <td>{b.line ?? '—'}</td>
                  <td>{t(`import.fields.${b.field.split('.')[0]}`, { defaultValue: b.field })}</td>
                  <td className="reason">{b.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && bad.length === 0 && <p className="error">{t('error', { message: error.message })}</p>}
      {check.data && !run.data && (
        <p className="notice" data-dry-run>
          {t('import.wouldDo', { ...check.data })}
        </p>
      )}
      {run.data && <p className="ok">{t('import.done', { ...run.data })}</p>}
      {run.error && <p className="error">{t('error', { message: run.error.message })}</p>}
      <div className="actions">
        <button className="secondary" onClick={onClose}>
          {t('post.close')}
        </button>
        {file && check.data && !run.data && (
          <button name="runImport" disabled={run.isPending} onClick={() => run.mutate(file.rows)}>
            {t('import.run', { n: check.data.count })}
          </button>
        )}
      </div>
    </div>
  );
}
