import { useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { X } from 'lucide-react';

const TABBABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex="0"]';

interface ModalProps {
  title: string;
  onClose: () => void;
  /** Extra class on the dialog, for its width. */
  className?: string;
  /** A side sheet: full height at the window's end edge, beside what it is about, instead of centred. */
  sheet?: boolean;
  children: (titleId: string) => ReactNode;
}

/**
 * A native modal dialog: the browser keeps focus inside and the rest inert. On open the title takes
 * focus (a panel may move it to its first field); Escape, the close button or a click on the
 * backdrop close it, and focus goes back to what had it before, the button that opened it.
 */
export function Modal({ title, onClose, className, sheet = false, children }: ModalProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  // Current on every render: the close event of an unmounting dialog must not call a stale one.
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const shown = useRef(false);
  const close = () => {
    if (shown.current) closeRef.current();
  };

  // Before the panels' own effects, which may move focus to a field of theirs.
  useLayoutEffect(() => {
    const node = dialog.current;
    shown.current = true;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    node?.showModal();
    heading.current?.focus();
    return () => {
      // Closed by its owner: the close event this fires must not close the next dialog opened.
      shown.current = false;
      if (node?.open) node.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key === 'Tab') {
      wrapTab(event);
      return;
    }
    // A control inside that handles Escape itself (a confirmation) stops it before it gets here.
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  }

  // The browser lets Tab leave a modal dialog for its own toolbar; a messenger keeps it going round.
  function wrapTab(event: KeyboardEvent<HTMLDialogElement>) {
    const tabbable = [...(dialog.current?.querySelectorAll<HTMLElement>(TABBABLE) ?? [])].filter((el) => el.checkVisibility());
    const first = tabbable[0];
    const last = tabbable[tabbable.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === heading.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={dialog}
      className={['modal', sheet ? 'sheet' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        // Escape with focus inside went through onKeyDown (which closed, or a nested control kept it
        // open); with focus lost (a button that just went disabled), only this event tells of it.
        event.preventDefault();
        if (!dialog.current?.contains(document.activeElement)) close();
      }}
      // Closed by the browser itself all the same (a repeated Escape): the state follows.
      onClose={close}
      onClick={(event) => event.target === event.currentTarget && close()}
    >
      <div className="modal-head">
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="icon-button modal-close" aria-label={t('shell.close')} title={t('shell.close')} onClick={close}>
          <X size={18} aria-hidden="true" />
        </button>
      </div>
      <div className="modal-body">{children(titleId)}</div>
    </dialog>
  );
}
