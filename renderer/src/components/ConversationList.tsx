import { useEffect, useId, useRef, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/ipc.js';
import { selectConversation } from '../actions.js';
import { filesPreview } from '../lib/attachment-preview.js';
import { eventLineText } from '../lib/event-text.js';
import { useStore } from '../store.js';
import { PresenceDot } from './Presence.js';

export function ConversationList() {
  const { t } = useTranslation();
  const conversations = useStore((s) => s.conversations);
  const selectedId = useStore((s) => s.selectedId);
  const [showArchived, setShowArchived] = useState(false);
  const id = useId();
  const items = useRef(new Map<string, HTMLButtonElement>());
  const left = useRef(selectedId);
  // A conversation closed (back in a narrow window, marked unread) and the focus went with it: to its
  // row, rather than to the top of the page. Focus that went somewhere (Ctrl+K's search box) stays.
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (selectedId === null && left.current !== null && lost) items.current.get(left.current)?.focus();
    left.current = selectedId;
  }, [selectedId]);
  const itemRef = (conversationId: string) => (button: HTMLButtonElement | null) => {
    if (button) items.current.set(conversationId, button);
    else items.current.delete(conversationId);
  };
  // Archived ones are out of the list; the one in view stays, so it does not vanish under the reader.
  const listed = conversations.filter((c) => !c.archived || c.id === selectedId);
  const archived = conversations.filter((c) => c.archived && c.id !== selectedId);
  const list = (items: Conversation[]) => (
    <ul className="conversation-list">
      {items.map((c) => (
        <li key={c.id}>
          <ConversationItem ref={itemRef(c.id)} conversation={c} selected={c.id === selectedId} />
        </li>
      ))}
    </ul>
  );

  return (
    <nav className="conversations" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('conversations.heading')}</h2>
      {conversations.length === 0 ? <p className="muted">{t('conversations.empty')}</p> : list(listed)}
      {archived.length > 0 && (
        <>
          <button type="button" className="link-button archived-toggle" aria-expanded={showArchived} onClick={() => setShowArchived((v) => !v)}>
            {showArchived ? t('conversationState.hideArchived') : t('conversationState.archived', { count: archived.length })}
          </button>
          {showArchived && list(archived)}
        </>
      )}
    </nav>
  );
}

/** A message that is only files: "📎 name", "Photo", "Video", "Voice message" (a file's name is the person's text, never translated). */
function useFilesText(): (preview: ReturnType<typeof filesPreview>) => string {
  const { t } = useTranslation();
  return (preview) => {
    switch (preview.kind) {
      case 'photo':
        return `📷 ${preview.count === 1 ? t('conversations.photo') : t('conversations.photos', { count: preview.count })}`;
      case 'video':
        return `🎬 ${preview.count === 1 ? t('conversations.video') : t('conversations.videos', { count: preview.count })}`;
      case 'voice':
        return `🎤 ${t('conversations.voice')}`;
      case 'file':
        return preview.count > 1 ? `📎 ${preview.count === 2 ? t('conversations.oneMoreFile', { name: preview.name }) : t('conversations.moreFiles', { name: preview.name, count: preview.count - 1 })}` : `📎 ${preview.name}`;
      case 'unknown':
        return `📎 ${t('conversations.attachment')}`;
    }
  };
}

function ConversationItem({ ref, conversation, selected }: { ref: Ref<HTMLButtonElement>; conversation: Conversation; selected: boolean }) {
  const { t, i18n } = useTranslation();
  const filesText = useFilesText();
  const id = useId();
  const last = conversation.lastMessage;
  const held = useStore((s) => s.messages[conversation.id]);
  const me = useStore((s) => s.profile?.username);
  const muted = (conversation.mutedUntil ?? 0) > Date.now();
  // An event line names its actor ("You set…"), so it takes no "You: " before it.
  const eventText = last ? eventLineText(i18n, last, me) : null;
  const preview = conversation.draft
    ? t('conversationState.draft') + conversation.draft
    : !last
    ? t('conversations.noMessages')
    : eventText !== null
    ? eventText
    : (last.outgoing ? t('conversations.youPrefix') : '') +
      (last.deleted ? t('messageActions.deleted') : last.text !== '' ? last.text : filesText(filesPreview(held, last.at)));

  // Accessible name = title (+ unread badge); the preview (arbitrary text) is only the description,
  // so message text never leaks into the button's name.
  return (
    <button
      ref={ref}
      type="button"
      className="conversation-item"
      aria-current={selected ? 'true' : undefined}
      aria-labelledby={conversation.unread > 0 ? `${id}-title ${id}-badge` : `${id}-title`}
      aria-describedby={`${id}-preview`}
      onClick={() => selectConversation(conversation.id)}
    >
      <span className="conversation-title-row">
        {conversation.kind === 'direct' && <PresenceDot username={conversation.id} />}
        <span id={`${id}-title`} className="conversation-title">
          {conversation.title}
        </span>
      </span>
      <span id={`${id}-preview`} className="conversation-preview" data-draft={conversation.draft ? true : undefined}>
        {preview}
      </span>
      <span className="conversation-marks">
        {conversation.pinnedAt !== null && (
          <span role="img" aria-label={t('conversationState.pinned')} title={t('conversationState.pinned')}>
            📌
          </span>
        )}
        {conversation.request && !conversation.blocked && <span className="request-mark">{t('people.request')}</span>}
        {conversation.blocked && (
          <span role="img" aria-label={t('people.blocked')} title={t('people.blocked')}>
            🚫
          </span>
        )}
        {muted && (
          <span role="img" aria-label={t('conversationState.muted')} title={t('conversationState.muted')}>
            🔕
          </span>
        )}
      </span>
      {conversation.unread === 0 && conversation.markedUnread && (
        <span className="unread-badge marked-unread" role="img" aria-label={t('conversationState.markedUnread')} />
      )}
      {conversation.unread > 0 && (
        <span
          id={`${id}-badge`}
          className="unread-badge"
          role="img"
          aria-label={t('conversations.unread', { count: conversation.unread })}
        >
          {conversation.unread > 99 ? '99+' : conversation.unread}
        </span>
      )}
    </button>
  );
}
