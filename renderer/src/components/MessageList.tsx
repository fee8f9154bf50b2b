import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { EMPTY_MESSAGES, useStore } from '../store.js';
import { MessageItem } from './MessageItem.js';

/** How close to the bottom (px) still counts as "reading the latest". */
const STICK_THRESHOLD = 80;

export function MessageList({ conversationId, label }: { conversationId: string; label: string }) {
  const { t } = useTranslation();
  const messages = useStore((s) => s.messages[conversationId] ?? EMPTY_MESSAGES);
  const isGroup = useStore((s) => s.conversations.some((c) => c.id === conversationId && c.kind === 'group'));
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const last = messages[messages.length - 1];

  // New message (or the first load): follow it if the reader was at the bottom or sent it.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (atBottom.current || last?.outgoing) el.scrollTop = el.scrollHeight;
  }, [last?.id, last?.outgoing, messages.length]);

  return (
    <div
      ref={scroller}
      className="messages"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label={label}
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
      }}
    >
      {messages.length === 0 ? (
        <p className="muted empty-messages">{t('conversation.empty')}</p>
      ) : (
        <ol className="message-list">
          {messages.map((m) => (
            <MessageItem key={m.id} message={m} showSender={isGroup} />
          ))}
        </ol>
      )}
    </div>
  );
}
