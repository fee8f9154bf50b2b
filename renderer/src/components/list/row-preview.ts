// What a conversation's row says under its name: a draft, someone typing, the last message (with
// "You: " for one's own) or that there is none yet.
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../../shared/ipc.js';
import { filesPreview } from '../../lib/attachment-preview.js';
import { eventLineText } from '../../lib/event-text.js';
import { chatPlainText } from '../../../../shared/chat-text.js';
import { formatNameList } from '../../lib/usernames.js';
import { NOBODY, useStore } from '../../store.js';

export interface RowPreview {
  text: string;
  kind: 'draft' | 'typing' | 'message' | 'none';
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

export function useRowPreview(conversation: Conversation): RowPreview {
  const { t, i18n } = useTranslation();
  const filesText = useFilesText();
  const last = conversation.lastMessage;
  const held = useStore((s) => s.messages[conversation.id]);
  const me = useStore((s) => s.profile?.username);
  const typing = useStore((s) => s.typing[conversation.id] ?? NOBODY);
  // One's own unsent words matter more than someone else's typing.
  if (conversation.draft) return { kind: 'draft', text: t('conversationState.draft') + conversation.draft };
  if (typing.length > 0 && !conversation.blocked) {
    const text = conversation.kind === 'direct' ? t('list.typing') : t('typing.someone', { count: typing.length, names: formatNameList(typing, i18n.language) });
    return { kind: 'typing', text };
  }
  if (!last) return { kind: 'none', text: t('conversations.noMessages') };
  // An event line names its actor ("You set…"), so it takes no "You: " before it.
  const eventText = eventLineText(i18n, last, me);
  if (eventText !== null) return { kind: 'message', text: eventText };
  const body = last.deleted ? t('messageActions.deleted') : last.text !== '' ? chatPlainText(last.text) : filesText(filesPreview(held, last.at));
  return { kind: 'message', text: (last.outgoing ? t('conversations.youPrefix') : '') + body };
}
