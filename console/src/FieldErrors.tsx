import { useTranslation } from 'react-i18next';
import type { ApiError } from './api';

type Detail = { field: string; message: string };

const detailsOf = (error: ApiError | null): Detail[] => error?.body?.details ?? [];
const under = (field: string, prefix: string) =>
  field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);

/** The server's 400 for one field (and the fields inside it), shown beside that field. */
export function fieldError(error: ApiError | null, prefix: string) {
  const details = detailsOf(error).filter((d) => under(d.field, prefix));
  if (details.length === 0) return null;
  return (
    <p className="error field-error" data-field={prefix}>
      {details.map((d) => `${d.field}: ${d.message}`).join('；')}
    </p>
  );
}

/** Whatever the server refused that no field of the form shows, or its message when it named none. */
export function FieldErrors({ error, known }: { error: ApiError | null; known: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const rest = detailsOf(error).filter((d) => !known.some((prefix) => under(d.field, prefix)));
  if (detailsOf(error).length > 0 && rest.length === 0) return <p className="error">{t('form.fix')}</p>;
  return (
    <p className="error" role="alert">
      {rest.length > 0
        ? rest.map((d) => `${d.field}: ${d.message}`).join('；')
        : t('error', { message: error.message })}
    </p>
  );
}
