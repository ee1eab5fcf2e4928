import { useTranslation } from 'react-i18next';

/** A group's rule: its own value, "off" for none, or null to follow the global one. */
export type Rule = string | number | null;

export interface Rules {
  quietHours: string | null;
  minGapMinutes: number | 'off' | null;
  dailyCap: number | 'off' | null;
  promoCap: number | 'off' | null;
}

const FIELDS = ['quietHours', 'minGapMinutes', 'dailyCap', 'promoCap'] as const;

/** How a rule reads: 22:00-08:00, 10 分钟, 关闭. */
export function ruleText(
  field: keyof Rules,
  value: Rule,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  if (value === null || value === 'off') return t('policy.off');
  if (field === 'minGapMinutes') return t('policy.minutes', { n: value });
  if (field === 'dailyCap' || field === 'promoCap') return t('policy.perDay', { n: value });
  return String(value);
}

/**
 * The four rules as an operator sets them: for a group each follows the global value (shown), is
 * off, or has its own; globally each is off or has a value.
 */
export function PolicyFields({
  value,
  onChange,
  inherited,
}: {
  value: Rules;
  onChange: (rules: Rules) => void;
  /** The global rules when editing a group; absent when editing the global ones. */
  inherited?: Rules;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="policy-fields">
      <legend>{t('policy.rules')}</legend>
      {FIELDS.map((field) => {
        const current = value[field];
        const mode = current === null ? (inherited ? 'inherit' : 'off') : current === 'off' ? 'off' : 'own';
        const set = (next: Rule) => onChange({ ...value, [field]: next });
        return (
          <div key={field} className="policy-field" data-field={field}>
            <span className="label">{t(`policy.${field}`)}</span>
            <select
              name={`${field}-mode`}
              aria-label={t(`policy.${field}`)}
              value={mode}
              onChange={(e) => {
                const chosen = e.target.value;
                if (chosen === 'inherit') set(null);
                else if (chosen === 'off') set(inherited ? 'off' : null);
                else set(field === 'quietHours' ? '22:00-08:00' : field === 'minGapMinutes' ? 10 : 3);
              }}
            >
              {inherited && (
                <option value="inherit">{t('policy.inherit', { value: ruleText(field, inherited[field], t) })}</option>
              )}
              <option value="off">{t('policy.off')}</option>
              <option value="own">{inherited ? t('policy.own') : t('policy.on')}</option>
            </select>
            {mode === 'own' &&
              (field === 'quietHours' ? (
                <>
                  <input
                    name="quietFrom"
                    type="time"
                    aria-label={t('policy.from')}
                    value={String(current).slice(0, 5)}
                    onChange={(e) => set(`${e.target.value}-${String(current).slice(6, 11)}`)}
                  />
                  –
                  <input
                    name="quietTo"
                    type="time"
                    aria-label={t('policy.to')}
                    value={String(current).slice(6, 11)}
                    onChange={(e) => set(`${String(current).slice(0, 5)}-${e.target.value}`)}
                  />
                </>
              ) : (
                <input
                  name={field}
                  type="number"
                  min={field === 'minGapMinutes' ? 0 : 1}
                  max={field === 'minGapMinutes' ? 1440 : 1000}
                  value={Number(current)}
                  onChange={(e) => set(Number(e.target.value))}
                />
              ))}
          </div>
        );
      })}
    </fieldset>
  );
}
