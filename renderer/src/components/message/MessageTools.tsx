import { Ellipsis, Reply, SmilePlus } from 'lucide-react';
import { useRef, useState, type FocusEvent, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/ipc.js';
import { isEmoji } from '../../../../shared/emoji.js';
import { ForwardDialog } from './ForwardDialog.js';
import { QUICK_REACTIONS, changeable, copyText, deleteMessage, ownReaction, startEdit, startReply, toggleReaction } from '../../message-actions.js';

type Open = 'none' | 'react' | 'more' | 'confirm-delete' | 'forward';

/**
 * What can be done to a message, shown while it is hovered or focused: reply, react (six quick
 * emoji, or any one typed), and a menu to copy, forward, edit, or delete it.
 */
export function MessageTools({ message, onError }: { message: ChatMessage; onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Open>('none');
  const [typed, setTyped] = useState('');
  // Low in the conversation, the popovers open upwards, so its edge does not cut them.
  const [up, setUp] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const deleted = message.deletedAt !== undefined;
  const canChange = changeable(message);
  const mine = ownReaction(message);

  const close = () => {
    setOpen('none');
    setTyped('');
  };
  const run = (action: () => Promise<unknown> | void) => {
    close();
    Promise.resolve()
      .then(action)
      .catch(onError);
  };
  const toggle = (which: Open) => {
    const box = root.current?.getBoundingClientRect();
    // Measured in the scrolled log, not the window: in a short (narrow) layout it is a strip of it.
    const log = root.current?.closest('[role="log"]')?.getBoundingClientRect() ?? { top: 0, bottom: window.innerHeight };
    if (box) setUp(box.top - log.top > log.bottom - box.bottom);
    setOpen((now) => (now === which ? 'none' : which));
  };
  const onBlur = (event: FocusEvent) => {
    if (!root.current?.contains(event.relatedTarget as Node | null)) close();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open !== 'none') {
      event.stopPropagation();
      close();
    }
  };
  const onTyped = (event: FormEvent) => {
    event.preventDefault();
    const emoji = typed.trim();
    if (isEmoji(emoji)) run(() => toggleReaction(message, emoji));
  };

  return (
    <div ref={root} className="message-tools" data-open={open !== 'none' || undefined} data-up={up || undefined} onBlur={onBlur} onKeyDown={onKeyDown}>
      <div className="message-toolbar" role="toolbar" aria-label={t('messageActions.toolbar')}>
        {!deleted && (
          <>
            <button type="button" className="tool-button" title={t('messageActions.reply')} aria-label={t('messageActions.reply')} onClick={() => run(() => startReply(message))}>
              <Reply size={16} aria-hidden="true" />
            </button>
            <button type="button" className="tool-button" title={t('messageActions.react')} aria-label={t('messageActions.react')} aria-expanded={open === 'react'} onClick={() => toggle('react')}>
              <SmilePlus size={16} aria-hidden="true" />
            </button>
          </>
        )}
        <button type="button" className="tool-button" title={t('messageActions.more')} aria-label={t('messageActions.more')} aria-expanded={open === 'more' || open === 'confirm-delete'} onClick={() => toggle('more')}>
          <Ellipsis size={16} aria-hidden="true" />
        </button>
      </div>
      {open === 'react' && (
        <div className="message-popover reaction-picker">
          <div className="quick-reactions">
            {QUICK_REACTIONS.map((emoji) => (
              <button
                key={emoji}
                type="button"
                className="quick-reaction"
                aria-pressed={mine === emoji}
                aria-label={t('messageActions.reactWith', { emoji })}
                onClick={() => run(() => toggleReaction(message, emoji))}
              >
                {emoji}
              </button>
            ))}
          </div>
          <form className="any-emoji" onSubmit={onTyped}>
            <input
              aria-label={t('messageActions.anyEmoji')}
              placeholder={t('messageActions.anyEmoji')}
              value={typed}
              maxLength={32}
              onChange={(e) => setTyped(e.target.value)}
            />
            <button type="submit" className="small" disabled={!isEmoji(typed.trim())}>
              {t('messageActions.react')}
            </button>
          </form>
        </div>
      )}
      {open === 'more' && (
        <ul className="message-popover message-menu" role="menu">
          {!deleted && message.text !== '' && (
            <MenuItem label={t('messageActions.copy')} onClick={() => run(() => copyText(message))} />
          )}
          {!deleted && <MenuItem label={t('forward.action')} onClick={() => setOpen('forward')} />}
          {canChange && <MenuItem label={t('messageActions.edit')} onClick={() => run(() => startEdit(message))} />}
          <MenuItem label={t('messageActions.deleteForMe')} onClick={() => run(() => deleteMessage(message, false))} danger />
          {canChange && <MenuItem label={t('messageActions.deleteForEveryone')} onClick={() => setOpen('confirm-delete')} danger />}
        </ul>
      )}
      {open === 'forward' && <ForwardDialog message={message} onClose={close} />}
      {open === 'confirm-delete' && (
        <div className="message-popover confirm-delete" role="alertdialog" aria-label={t('messageActions.deleteForEveryone')}>
          <p>{t('messageActions.confirmDeleteForEveryone')}</p>
          <div className="confirm-buttons">
            <button type="button" className="small" onClick={close}>
              {t('messageActions.cancel')}
            </button>
            <button type="button" className="small danger" onClick={() => run(() => deleteMessage(message, true))}>
              {t('messageActions.deleteForEveryone')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function MenuItem({ label, onClick, danger = false }: { label: string; onClick: () => void; danger?: boolean }) {
  return (
    <li role="none">
      <button type="button" role="menuitem" className={danger ? 'menu-item danger-text' : 'menu-item'} onClick={onClick}>
        {label}
      </button>
    </li>
  );
}
