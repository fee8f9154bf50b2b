import { X } from 'lucide-react';
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { NewChatForm } from '../NewChatForm.js';
import { NewGroupForm } from '../NewGroupForm.js';

interface NewChatDialogProps {
  /** It closed: `started` when a conversation was opened from it. */
  onClose: (started: boolean) => void;
}

/**
 * A person to write to, or a group to make: a modal dialog (focus stays in it, Escape or a click
 * beside it closes it). Mounted while open, so every opening starts with empty fields.
 */
export function NewChatDialog({ onClose }: NewChatDialogProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const started = useRef(false);
  const id = useId();

  useEffect(() => {
    const d = dialog.current;
    if (!d || d.open) return;
    d.showModal();
    d.querySelector<HTMLInputElement>('input')?.focus();
  }, []);

  // A modal dialog keeps the page behind out of reach, but Tab past its last control would still
  // leave for the browser's own: it goes round instead.
  function keepFocus(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab') return;
    const controls = [...event.currentTarget.querySelectorAll<HTMLElement>('input, button, textarea, select, a[href]')].filter((c) => !c.matches(':disabled'));
    const first = controls[0];
    const last = controls.at(-1);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  function done() {
    started.current = true;
    dialog.current?.close();
  }

  return (
    <dialog
      ref={dialog}
      className="new-chat-dialog"
      aria-labelledby={`${id}-title`}
      onClose={() => onClose(started.current)}
      onKeyDown={keepFocus}
      // The dialog's own box is only its backdrop's edge: the content fills it.
      onClick={(e) => e.target === dialog.current && dialog.current.close()}
    >
      <div className="new-chat-dialog-body">
        <header className="new-chat-dialog-header">
          <h2 id={`${id}-title`}>{t('newChat.heading')}</h2>
          <button type="button" className="icon-button" aria-label={t('list.close')} title={t('list.close')} onClick={() => dialog.current?.close()}>
            <X size={18} aria-hidden="true" />
          </button>
        </header>
        <NewChatForm onDone={done} />
        <p className="new-chat-or" aria-hidden="true">
          <span>{t('list.or')}</span>
        </p>
        <NewGroupForm onDone={done} />
      </div>
    </dialog>
  );
}
