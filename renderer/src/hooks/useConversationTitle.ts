import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/ipc.js';
import { conversationTitle } from '../lib/conversation-title.js';
import { useStore } from '../store.js';

/** A conversation's name as shown ("Note to self" for one's own); the function changes only with the account or the language. */
export function useConversationTitle(): (conversation: Pick<Conversation, 'id' | 'kind' | 'title'>) => string {
  const { t } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const noteToSelf = t('list.noteToSelf');
  return useCallback((conversation) => conversationTitle(conversation, me, noteToSelf), [me, noteToSelf]);
}
