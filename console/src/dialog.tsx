import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const FOCUSABLE =
  'button:not(:disabled), [href], input:not(:disabled), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A window over the page: it takes the focus when it opens, keeps Tab inside, closes on Escape and
 * gives the focus back to what had it.
 */
export function Modal({
  label,
  onClose,
  children,
  className = '',
}: {
  label: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const body = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = body.current?.querySelector<HTMLElement>('[data-autofocus]') ?? body.current;
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        close.current();
      }
      if (event.key !== 'Tab' || !body.current) return;
      const items = [...body.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const [head, tail] = [items[0], items[items.length - 1]];
      if (event.shiftKey && document.activeElement === head) {
        event.preventDefault();
        tail.focus();
      } else if (!event.shiftKey && document.activeElement === tail) {
        event.preventDefault();
        head.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, []);
  return (
    <div className={`modal ${className}`} onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal-body" role="dialog" aria-modal="true" aria-label={label} tabIndex={-1} ref={body}>
        {children}
      </div>
    </div>
  );
}

export interface Confirmation {
  title: string;
  /** What will happen, to how many groups. */
  body: ReactNode;
  /** The button that does it says what it does: 「确认取消活动」, never 「确定」. */
  confirm: string;
  danger?: boolean;
  /** Things the operator must tick before the action is offered (warnings to accept). */
  accept?: string[];
}

/**
 * Asks before an action that sends, stops or deletes; the action runs only from the dialog's own
 * button. `ask(confirmation, action)` opens it; the element goes wherever the page puts dialogs.
 */
export function useConfirm(): [(confirmation: Confirmation, action: () => unknown) => void, ReactNode] {
  const { t } = useTranslation();
  const [open, setOpen] = useState<{ confirmation: Confirmation; action: () => unknown } | null>(null);
  const [accepted, setAccepted] = useState<Set<number>>(new Set());
  const ask = (confirmation: Confirmation, action: () => unknown) => {
    setAccepted(new Set());
    setOpen({ confirmation, action });
  };
  const element = open && (
    <Modal label={open.confirmation.title} onClose={() => setOpen(null)} className="confirm">
      <h2>{open.confirmation.title}</h2>
      <div className="confirm-body">{open.confirmation.body}</div>
      {open.confirmation.accept && open.confirmation.accept.length > 0 && (
        <ul className="accept">
          {open.confirmation.accept.map((warning, i) => (
            <li key={i}>
              <label>
                <input
                  type="checkbox"
                  checked={accepted.has(i)}
                  onChange={() => {
                    const next = new Set(accepted);
                    if (next.has(i)) next.delete(i);
                    else next.add(i);
                    setAccepted(next);
                  }}
                />
                {warning}
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button className="secondary" data-autofocus onClick={() => setOpen(null)}>
          {t('dialog.back')}
        </button>
        <button
          className={open.confirmation.danger ? 'danger solid' : ''}
          disabled={accepted.size < (open.confirmation.accept?.length ?? 0)}
          onClick={() => {
            setOpen(null);
            open.action();
          }}
        >
          {open.confirmation.confirm}
        </button>
      </div>
    </Modal>
  );
  return [ask, element];
}
