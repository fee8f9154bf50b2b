import { EllipsisVertical } from 'lucide-react';
import { isNoteToSelf } from '../lib/conversation-title.js';
import { useConversationTitle } from '../hooks/useConversationTitle.js';
import { useRef, useState, type FocusEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MUTED_ALWAYS } from '../../../shared/payload.js';
import { errorMessage } from '../api.js';
import { changeConversation, deleteConversation, markUnread } from '../conversation-actions.js';
import { setBlocked } from '../people-actions.js';
import { timerText } from '../lib/timer-text.js';
import { useStore } from '../store.js';

const HOUR = 3600_000;
/** Signal's choices. */
const MUTE_FOR = [HOUR, 8 * HOUR, 7 * 24 * HOUR];

/**
 * The conversation's "⋯" in its header: pin, archive, mute, mark unread; block (a direct chat);
 * delete it from this device (a group once left), after a confirmation.
 */
export function ConversationMenu({ conversationId }: { conversationId: string }) {
  const { t, i18n } = useTranslation();
  const conversation = useStore((s) => s.conversations.find((c) => c.id === conversationId));
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const me = useStore((s) => s.profile?.username);
  const titleOf = useConversationTitle();
  if (!conversation) return null;
  const muted = (conversation.mutedUntil ?? 0) > Date.now();
  const run = (action: () => Promise<unknown>) => {
    setOpen(false);
    setError(null);
    action().catch((err: unknown) => setError(errorMessage(err)));
  };
  const onBlur = (event: FocusEvent) => {
    if (root.current?.contains(event.relatedTarget as Node | null)) return;
    setOpen(false);
    setConfirming(false);
  };
  const deletable = conversation.kind === 'direct' || !conversation.active;
  const items: { label: string; action: () => Promise<unknown> }[] = [
    {
      label: conversation.pinnedAt === null ? t('conversationState.pin') : t('conversationState.unpin'),
      action: () => changeConversation(conversationId, { pinned: conversation.pinnedAt === null }),
    },
    {
      label: conversation.archived ? t('conversationState.unarchive') : t('conversationState.archive'),
      action: () => changeConversation(conversationId, { archived: !conversation.archived }),
    },
    ...(muted
      ? [{ label: t('conversationState.unmute'), action: () => changeConversation(conversationId, { mutedUntil: null }) }]
      : [
          ...MUTE_FOR.map((ms) => ({
            label: t('conversationState.muteFor', { duration: timerText(ms, i18n.language) }),
            action: () => changeConversation(conversationId, { mutedUntil: Date.now() + ms }),
          })),
          { label: t('conversationState.muteAlways'), action: () => changeConversation(conversationId, { mutedUntil: MUTED_ALWAYS }) },
        ]),
    { label: t('conversationState.markUnread'), action: () => markUnread(conversationId) },
    ...(conversation.kind === 'direct' && !isNoteToSelf(conversation, me)
      ? [{ label: conversation.blocked ? t('people.unblock') : t('people.block'), action: () => setBlocked(conversationId, !conversation.blocked) }]
      : []),
  ];
  return (
    <div ref={root} className="conversation-menu" onBlur={onBlur} onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        setOpen(false);
        setConfirming(false);
      }}>
      <button type="button" className="icon-button" aria-label={t('conversationState.menu')} title={t('conversationState.menu')} aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        <EllipsisVertical size={18} aria-hidden="true" />
      </button>
      {open && (
        <ul className="message-popover message-menu conversation-menu-list" role="menu" aria-label={t('conversationState.menu')}>
          {items.map((item) => (
            <li key={item.label} role="none">
              <button type="button" role="menuitem" className="menu-item" onClick={() => run(item.action)}>
                {item.label}
              </button>
            </li>
          ))}
          {deletable && (
            <li role="none">
              <button
                type="button"
                role="menuitem"
                className="menu-item danger-text"
                onClick={() => {
                  setOpen(false);
                  setConfirming(true);
                }}
              >
                {t('conversationState.delete')}
              </button>
            </li>
          )}
        </ul>
      )}
      {confirming && (
        <div className="message-popover confirm-delete conversation-menu-list" role="alertdialog" aria-label={t('conversationState.delete')}>
          <p>{t('conversationState.confirmDelete', { title: titleOf(conversation) })}</p>
          <div className="confirm-buttons">
            <button type="button" className="small" onClick={() => setConfirming(false)} autoFocus>
              {t('messageActions.cancel')}
            </button>
            <button
              type="button"
              className="small danger"
              onClick={() => {
                setConfirming(false);
                run(() => deleteConversation(conversationId));
              }}
            >
              {t('conversationState.delete')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="header-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
