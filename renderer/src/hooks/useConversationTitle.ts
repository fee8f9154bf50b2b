import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/ipc.js';
import { conversationTitle } from '../lib/conversation-title.js';
import { useStore } from '../store.js';

/** A conversation's name as shown ("Note to self" for one's own). */
export function useConversationTitle(): (conversation: Pick<Conversation, 'id' | 'kind' | 'title'>) => string {
  const { t } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  return (conversation) => conversationTitle(conversation, me, t('list.noteToSelf'));
}
