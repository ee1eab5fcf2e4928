import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, Group, api, post } from '../api';
import { useConfirm } from '../dialog';
import { FieldErrors, fieldError } from '../FieldErrors';
import { GroupPicker } from '../GroupPicker';
import { useCanAct, useMe } from '../session';
import { colour } from '../status';

interface Channel {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  status: 'active' | 'disabled';
  disabledReason: string | null;
  rateLimits: { perSecond?: number; perMinute?: number }[];
}

const TYPES = ['wecom', 'wecom_customer_group', 'dingtalk', 'feishu', 'slack', 'telegram', 'webhook', 'console'];

/** Account-wide secrets a type needs; the others keep theirs in each group's address. */
const CREDENTIALS: Record<string, string[]> = {
  telegram: ['botToken'],
  feishu: ['appId', 'appSecret'],
  wecom_customer_group: ['corpId', 'corpSecret'],
};

function NewChannel({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [type, setType] = useState('wecom');
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [config, setConfig] = useState('');
  const create = useMutation({
    mutationFn: () => {
      let parsed: Record<string, unknown> | undefined;
      if (config.trim()) {
        try {
          parsed = JSON.parse(config) as Record<string, unknown>;
        } catch {
          throw new ApiError(400, t('channels.badJson'), {
            details: [{ field: 'config', message: t('channels.badJson') }],
          });
        }
      }
      const credentials = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.trim()));
      return post<Channel>('/v1/channels', {
        name: name.trim(),
        type,
        ...(parsed ? { config: parsed } : {}),
        ...(Object.keys(credentials).length ? { credentials } : {}),
      });
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['channels'] });
      onDone();
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  return (
    <form
      className="editor-form new-channel"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h2>{t('channels.new')}</h2>
      <label className="stacked">
        {t('channels.name')}
        <input name="channelName" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      {fieldError(error, 'name')}
      <label className="stacked">
        {t('channels.type')}
        <select name="channelType" value={type} onChange={(e) => (setType(e.target.value), setSecrets({}))}>
          {TYPES.map((x) => (
            <option key={x} value={x}>
              {t(`channelType.${x}`)}
            </option>
          ))}
        </select>
      </label>
      {(CREDENTIALS[type] ?? []).map((field) => (
        <label key={field} className="stacked">
          {t(`channels.credential.${field}`, { defaultValue: field })}
          <input
            name={`credential-${field}`}
            type="password"
            autoComplete="off"
            value={secrets[field] ?? ''}
            onChange={(e) => setSecrets({ ...secrets, [field]: e.target.value })}
          />
        </label>
      ))}
      {CREDENTIALS[type] && <p className="hint">{t('channels.writeOnly')}</p>}
      {fieldError(error, 'credentials')}
      <label className="stacked">
        {t('channels.config')}
        <textarea
          name="channelConfig"
          value={config}
          onChange={(e) => setConfig(e.target.value)}
          placeholder='{"format": "markdown"}'
        />
      </label>
      {fieldError(error, 'config')}
      <FieldErrors error={error} known={['name', 'credentials', 'config']} />
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          {t('dialog.back')}
        </button>
        <button type="submit" name="createChannel" disabled={create.isPending || !name.trim()}>
          {t('channels.create')}
        </button>
      </div>
    </form>
  );
}

function TestSend({ channel, onDone }: { channel: Channel; onDone: () => void }) {
  const { t } = useTranslation();
  const [group, setGroup] = useState<Pick<Group, 'id' | 'name'> | null>(null);
  const [text, setText] = useState(t('channels.testText'));
  const send = useMutation({
    mutationFn: () =>
      post<{ outcome: string; code?: string; reason?: string }>(`/v1/channels/${channel.id}/test-send`, {
        groupId: group!.id,
        text,
      }),
  });
  return (
    <div className="editor-form test-send">
      <h2>{t('channels.testTitle', { name: channel.name })}</h2>
      <label>
        {t('channels.toGroup')}
        <GroupPicker chosen={group ? [group] : []} onChange={(g) => setGroup(g[0] ?? null)} name="testGroup" />
      </label>
      <label className="stacked">
        {t('channels.text')}
        <textarea name="testText" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {send.data && (
        <p className={send.data.outcome === 'ok' ? 'ok' : 'error'} data-outcome={send.data.outcome}>
          {t(`channels.outcome.${send.data.outcome}`, { defaultValue: send.data.outcome })}
          {send.data.reason ? `：${send.data.reason}` : ''}
        </p>
      )}
      {send.error && <p className="error">{t('error', { message: send.error.message })}</p>}
      <div className="actions">
        <button className="secondary" onClick={onDone}>
          {t('post.close')}
        </button>
        <button name="sendTest" disabled={!group || !text.trim() || send.isPending} onClick={() => send.mutate()}>
          {t('channels.send')}
        </button>
      </div>
    </div>
  );
}

/** 渠道: every channel with its state and limits; create (admin), test-send (admin), stop and start it again. */
export function ChannelsPage() {
  const { t } = useTranslation();
  const canAct = useCanAct();
  const admin = useMe().role === 'admin';
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [testing, setTesting] = useState<Channel | null>(null);
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => api<Channel[]>('/v1/channels') });
  const [ask, dialog] = useConfirm();
  const reason = useRef('');
  const toggle = useMutation({
    mutationFn: ({ channel, enable }: { channel: Channel; enable: boolean }) =>
      post<Channel>(
        `/v1/channels/${channel.id}/${enable ? 'enable' : 'disable'}`,
        enable ? {} : { reason: reason.current || undefined },
      ),
    onSettled: () => client.invalidateQueries({ queryKey: ['channels'] }),
  });
  return (
    <section className="channels-page">
      {dialog}
      {admin && !creating && (
        <div className="toolbar">
          <button name="newChannel" onClick={() => setCreating(true)}>
            {t('channels.new')}
          </button>
        </div>
      )}
      {creating && <NewChannel onDone={() => setCreating(false)} />}
      {testing && <TestSend channel={testing} onDone={() => setTesting(null)} />}
      {toggle.error && <p className="error">{t('error', { message: toggle.error.message })}</p>}
      <table>
        <thead>
          <tr>
            <th>{t('channels.name')}</th>
            <th>{t('channels.type')}</th>
            <th />
            <th>{t('channels.limits')}</th>
            <th>{t('channels.secrets')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {channels.data?.map((c) => (
            <tr key={c.id} data-channel={c.name} data-status={c.status}>
              <td>{c.name}</td>
              <td>{t(`channelType.${c.type}`, { defaultValue: c.type })}</td>
              <td>
                <span className="badge" style={{ background: colour(c.status === 'active' ? 'sent' : 'paused') }}>
                  {t(`channels.status.${c.status}`)}
                </span>
                {c.disabledReason && <div className="reason">{c.disabledReason}</div>}
              </td>
              <td>
                {c.rateLimits
                  .map((l) =>
                    [
                      l.perSecond && t('channels.perSecond', { n: l.perSecond }),
                      l.perMinute && t('channels.perMinute', { n: l.perMinute }),
                    ]
                      .filter(Boolean)
                      .join('，'),
                  )
                  .join('；') || '—'}
              </td>
              <td>
                {Object.entries(c.credentials)
                  .map(([k, v]) => `${k} ${v}`)
                  .join('，') || '—'}
              </td>
              <td className="row-actions">
                {admin && (
                  <button className="link" name="testSend" onClick={() => setTesting(c)}>
                    {t('channels.test')}
                  </button>
                )}
                {canAct && c.status === 'active' && (
                  <button
                    className="link danger-text"
                    name="disable"
                    onClick={() => {
                      reason.current = '';
                      ask(
                        {
                          title: t('channels.disableTitle', { name: c.name }),
                          body: (
                            <label className="stacked">
                              {t('channels.disableBody')}
                              <input name="disableReason" onChange={(e) => (reason.current = e.target.value)} />
                            </label>
                          ),
                          confirm: t('channels.disableConfirm'),
                          danger: true,
                        },
                        () => toggle.mutate({ channel: c, enable: false }),
                      );
                    }}
                  >
                    {t('channels.disable')}
                  </button>
                )}
                {canAct && c.status === 'disabled' && (
                  <button className="link" name="enable" onClick={() => toggle.mutate({ channel: c, enable: true })}>
                    {t('channels.enable')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
