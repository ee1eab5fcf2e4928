import Form from '@rjsf/core';
import {
  TranslatableString,
  deepEquals,
  englishStringTranslator,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
  type ValidatorType,
} from '@rjsf/utils';
import { createPrecompiledValidator } from '@rjsf/validator-ajv8';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import localizeZh from 'ajv-i18n/localize/zh';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, Group, api, post } from '../api';
import { useConfirm } from '../dialog';
import { FieldErrors, fieldError } from '../FieldErrors';
import { GroupPicker } from '../GroupPicker';
import { useCanSeeGroups, useCanWrite } from '../session';
import { colour } from '../status';
import { ChannelPartsView, SideBySide } from './ChannelParts';
import { Revisions } from './Revisions';
import { COMPILED } from './validators';

export interface Kind {
  name: string;
  label: string;
  description?: string;
  schema: RJSFSchema;
}

export interface Piece {
  id: string;
  kind: string;
  slug: string;
  title: string;
  status: string;
  revision: number;
  publishedRevision: number | null;
  version: number;
  tags: string[];
  fields: Record<string, unknown>;
  body: string | null;
  media: string[];
  link: string | null;
}

/** A piece's status in the colours of the post statuses it resembles. */
const PIECE_COLOURS: Record<string, string> = { draft: 'planned', published: 'sent', archived: 'cancelled' };

interface Draft {
  title: string;
  tags: string;
  fields: Record<string, unknown>;
  media: string[];
  link: string;
}

/** The form's schema: the kind's title, description and examples are shown by the page, not the form. */
function formSchema(schema: RJSFSchema): RJSFSchema {
  const {
    title: _title,
    description: _description,
    examples: _examples,
    $schema: _meta,
    ...rest
  } = schema as RJSFSchema & {
    examples?: unknown;
  };
  return rest as RJSFSchema;
}

/**
 * The kind's fields checked in the browser as the server checks them, with ajv's own Chinese
 * messages, by code compiled at build time (the console's CSP allows no eval). A kind the server
 * has that the build did not (another templates directory) has no check here: the preview's 400 names its fields.
 */
function validatorFor(kind: string, schema: RJSFSchema, zh: boolean): ValidatorType | null {
  const compiled = (COMPILED as Record<string, { schema: RJSFSchema; fns: Record<string, unknown> }>)[kind];
  if (!compiled || !deepEquals(compiled.schema, schema)) return null;
  return createPrecompiledValidator(compiled.fns as never, compiled.schema, zh ? localizeZh : undefined);
}

/** What a form without a compiled check uses: every value passes here, the server says what is wrong. */
const TRUSTING: ValidatorType = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => true,
  rawValidation: () => ({}),
};

const ZH_STRINGS: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.AddItemButton]: '添加一项',
  [TranslatableString.AddButton]: '添加',
  [TranslatableString.RemoveButton]: '删除',
  [TranslatableString.MoveUpButton]: '上移',
  [TranslatableString.MoveDownButton]: '下移',
  [TranslatableString.CopyButton]: '复制',
  [TranslatableString.ArrayItemTitle]: '第 %1 项',
  [TranslatableString.EmptyArray]: '还没有内容，点下方按钮添加。',
  [TranslatableString.ErrorsLabel]: '请修改',
  [TranslatableString.YesLabel]: '是',
  [TranslatableString.NoLabel]: '否',
  [TranslatableString.ClearButton]: '清空',
  [TranslatableString.OptionalObjectAdd]: '填写这一项',
  [TranslatableString.OptionalObjectRemove]: '不填这一项',
  [TranslatableString.OptionalObjectEmptyMsg]: '未填写（可选）',
};

const translateZh = (key: TranslatableString, params?: string[]) =>
  ZH_STRINGS[key]
    ? englishStringTranslator(ZH_STRINGS[key] as TranslatableString, params)
    : englishStringTranslator(key, params);

/** ajv's Chinese says 应当有必需属性 title; under the field itself 必填 says it. */
const requiredInChinese = (errors: RJSFValidationError[]) =>
  errors.map((error) => (error.name === 'required' ? { ...error, message: '必填' } : error));

/** Long text as a text area, pictures by URL with the picture shown: the form reads like the message. */
function uiSchemaOf(schema: RJSFSchema): UiSchema {
  const ui: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  for (const [name, field] of Object.entries((schema.properties ?? {}) as Record<string, RJSFSchema>)) {
    if (field.type === 'string' && typeof field.maxLength === 'number' && field.maxLength > 120 && !field.format)
      ui[name] = { 'ui:widget': 'textarea' };
    if (field.type === 'array') ui[name] = { 'ui:options': { orderable: true } };
  }
  return ui;
}

const EMPTY_DRAFT: Draft = { title: '', tags: '', fields: {}, media: [], link: '' };

const draftOf = (piece: Piece): Draft => ({
  title: piece.title,
  tags: piece.tags.join('，'),
  fields: piece.fields,
  media: piece.media,
  link: piece.link ?? '',
});

const tagsOf = (text: string) =>
  text
    .split(/[,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The piece as the API takes it (blank link and empty picture rows left out). */
const bodyOf = (draft: Draft) => ({
  title: draft.title.trim(),
  fields: draft.fields,
  media: draft.media.map((m) => m.trim()).filter(Boolean),
  link: draft.link.trim() || null,
  tags: tagsOf(draft.tags),
});

/** Waits until the value has stopped changing for a moment: the preview follows typing without a request per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * A piece's editor: its kind's fields as a form made from the kind's JSON Schema, pictures by URL,
 * and beside it the piece on each channel as it is typed. Save makes a revision; publish makes it
 * live; a stale save says who changed it and offers the latest.
 */
export function ContentEditor({
  piece,
  kind,
  onSaved,
}: {
  piece: Piece | null;
  kind: Kind;
  onSaved: (piece: Piece) => void;
}) {
  const { t, i18n } = useTranslation();
  const canWrite = useCanWrite();
  const canSeeGroups = useCanSeeGroups();
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => (piece ? draftOf(piece) : EMPTY_DRAFT));
  const [version, setVersion] = useState(piece?.version ?? 0);
  const [group, setGroup] = useState<Pick<Group, 'id' | 'name'> | null>(null);
  const [formErrors, setFormErrors] = useState(0);
  const [stale, setStale] = useState<{ author: string | null; at: string; latest: Piece } | null>(null);
  const [ask, dialog] = useConfirm();
  const dirty = piece === null || JSON.stringify(bodyOf(draft)) !== JSON.stringify(bodyOf(draftOf(piece)));

  const settled = useSettled(draft, 400);
  // While the form shows a problem the preview keeps the last good one: the server would only repeat it.
  const preview = useQuery({
    queryKey: ['draft-preview', kind.name, settled, group?.id],
    queryFn: () =>
      post<{ channels: ChannelPartsView[] }>('/v1/content/channel-preview', {
        kind: kind.name,
        ...bodyOf(settled),
        title: settled.title.trim() || kind.label,
        tags: undefined,
        ...(group ? { groupId: group.id } : {}),
      }),
    placeholderData: (previous) => previous,
    enabled: formErrors === 0,
    retry: false,
  });

  const save = useMutation({
    mutationFn: () =>
      piece
        ? api<Piece>(`/v1/content/${piece.id}`, {
            method: 'PATCH',
            body: bodyOf(draft),
            headers: { 'If-Match': `"${version}"` },
          })
        : post<Piece>('/v1/content', { kind: kind.name, ...bodyOf(draft) }),
    onSuccess: (saved) => {
      setVersion(saved.version);
      setStale(null);
      void client.invalidateQueries({ queryKey: ['content'] });
      void client.invalidateQueries({ queryKey: ['revisions', saved.id] });
      onSaved(saved);
    },
    onError: async (error) => {
      if (!(error instanceof ApiError) || error.status !== 409 || !piece) return;
      const [latest, revisions] = await Promise.all([
        api<Piece>(`/v1/content/${piece.id}`),
        api<{ items: { author: string | null; createdAt: string }[] }>(`/v1/content/${piece.id}/revisions?pageSize=1`),
      ]);
      setStale({ author: revisions.items[0]?.author ?? null, at: revisions.items[0]?.createdAt ?? '', latest });
    },
  });
  const lifecycle = useMutation({
    mutationFn: (action: 'publish' | 'archive') =>
      post<Piece>(`/v1/content/${piece!.id}/${action}`, {}, { 'If-Match': `"${version}"` }),
    onSuccess: (saved) => {
      setVersion(saved.version);
      void client.invalidateQueries({ queryKey: ['content'] });
      onSaved(saved);
    },
  });

  const zh = i18n.language === 'zh';
  const schema = useMemo(() => formSchema(kind.schema), [kind]);
  const validator = useMemo(() => validatorFor(kind.name, schema, zh), [kind, schema, zh]);
  const uiSchema = useMemo(() => uiSchemaOf(kind.schema), [kind]);
  const saveError = save.error instanceof ApiError && save.error.status !== 409 ? save.error : null;
  const previewError = preview.error instanceof ApiError ? preview.error : null;

  return (
    <div className="content-editor" data-kind={kind.name}>
      {dialog}
      <div className="editor-pane">
        <h2>
          {piece ? t('content.editing', { title: piece.title }) : t('content.newOf', { kind: kind.label })}{' '}
          {piece && (
            <span
              className="badge"
              data-status={piece.status}
              style={{ background: colour(PIECE_COLOURS[piece.status] ?? 'planned') }}
            >
              {t(`status.${piece.status}`)}
            </span>
          )}
        </h2>
        {kind.description && <p className="hint">{kind.description}</p>}
        {stale && (
          <div className="notice stale" role="alert">
            {t('content.stale', {
              who: stale.author ?? t('content.someone'),
              at: stale.at ? new Date(stale.at).toLocaleString(zh ? 'zh-CN' : 'en') : '',
            })}{' '}
            <button
              className="link"
              onClick={() => {
                setDraft(draftOf(stale.latest));
                setVersion(stale.latest.version);
                setStale(null);
                save.reset();
              }}
            >
              {t('content.reload')}
            </button>
          </div>
        )}
        <fieldset disabled={!canWrite} className="plain">
          <label className="stacked">
            {t('content.title')}
            <input
              name="title"
              value={draft.title}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
              required
            />
          </label>
          {fieldError(saveError, 'title')}
          <Form
            schema={schema}
            uiSchema={uiSchema}
            formData={draft.fields}
            validator={validator ?? TRUSTING}
            translateString={zh ? translateZh : undefined}
            transformErrors={zh ? requiredInChinese : undefined}
            liveValidate={validator ? 'onChange' : undefined}
            showErrorList={false}
            noHtml5Validate
            onChange={(event) => {
              setDraft((d) => ({ ...d, fields: (event.formData ?? {}) as Record<string, unknown> }));
              setFormErrors(event.errors?.length ?? 0);
            }}
          />
          {fieldError(saveError, 'fields')}
          <div className="media">
            <span>{t('content.media')}</span>
            {draft.media.map((url, i) => (
              <div key={i} className="media-row">
                <input
                  name={`media-${i}`}
                  type="url"
                  value={url}
                  placeholder="https://…"
                  onChange={(e) =>
                    setDraft({ ...draft, media: draft.media.map((m, j) => (j === i ? e.target.value : m)) })
                  }
                />
                {url.trim() && <img className="thumb" src={url.trim()} alt={t('content.picture')} />}
                <button
                  type="button"
                  className="link"
                  onClick={() => setDraft({ ...draft, media: draft.media.filter((_, j) => j !== i) })}
                >
                  {t('content.removePicture')}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="secondary"
              name="addPicture"
              onClick={() => setDraft({ ...draft, media: [...draft.media, ''] })}
            >
              {t('content.addPicture')}
            </button>
          </div>
          {fieldError(saveError, 'media')}
          <label className="stacked">
            {t('content.link')}
            <input
              name="link"
              type="url"
              value={draft.link}
              onChange={(e) => setDraft({ ...draft, link: e.target.value })}
            />
          </label>
          {fieldError(saveError, 'link')}
          <label className="stacked">
            {t('content.tags')}
            <input name="tags" value={draft.tags} onChange={(e) => setDraft({ ...draft, tags: e.target.value })} />
          </label>
          {fieldError(saveError, 'tags')}
        </fieldset>
        <FieldErrors error={saveError} known={['title', 'fields', 'media', 'link', 'tags']} />
        {lifecycle.error && <p className="error">{t('error', { message: lifecycle.error.message })}</p>}
        {canWrite && (
          <div className="actions">
            <button
              name="save"
              disabled={save.isPending || !dirty || formErrors > 0 || !draft.title.trim()}
              onClick={() => save.mutate()}
            >
              {piece ? t('content.saveRevision') : t('content.create')}
            </button>
            {piece && piece.status !== 'archived' && (
              <button
                name="publish"
                className="secondary"
                disabled={lifecycle.isPending || dirty || piece.publishedRevision === piece.revision}
                onClick={() => lifecycle.mutate('publish')}
              >
                {t('content.publish', { revision: piece.revision })}
              </button>
            )}
            {piece && piece.status !== 'archived' && (
              <button
                name="archive"
                className="danger"
                disabled={lifecycle.isPending}
                onClick={() =>
                  ask(
                    {
                      title: t('content.archiveTitle', { title: piece.title }),
                      body: t('content.archiveBody'),
                      confirm: t('content.archiveConfirm'),
                      danger: true,
                    },
                    () => lifecycle.mutate('archive'),
                  )
                }
              >
                {t('archive')}
              </button>
            )}
            {dirty && piece && <span className="muted">{t('content.unsaved')}</span>}
          </div>
        )}
        {piece && <Revisions piece={piece} />}
      </div>
      <div className="preview-pane">
        <div className="toolbar">
          <strong>{t('content.livePreview')}</strong>
          {canSeeGroups && (
            <label>
              {t('content.previewFor')}
              <GroupPicker chosen={group ? [group] : []} onChange={(g) => setGroup(g[0] ?? null)} name="previewGroup" />
            </label>
          )}
          {!group && <span className="muted">{t('content.sample')}</span>}
        </div>
        {formErrors > 0 && <p className="hint">{t('content.fixToPreview')}</p>}
        {previewError && formErrors === 0 && (
          <p className="error preview-error">
            {previewError.body?.details?.map((d) => `${d.field}: ${d.message}`).join('；') ?? previewError.message}
          </p>
        )}
        {preview.data && <SideBySide channels={preview.data.channels} />}
      </div>
    </div>
  );
}
