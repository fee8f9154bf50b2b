import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const title = useStore((s) => s.conversations.find((c) => c.id === conversationId)?.title ?? conversationId);
  const id = useId();

  return (
    <section className="conversation" aria-labelledby={`${id}-title`}>
      <header className="conversation-header">
        <h2 id={`${id}-title`}>{title}</h2>
      </header>
      <MessageList conversationId={conversationId} label={t('conversation.historyLabel', { name: title })} />
      <Composer conversationId={conversationId} />
    </section>
  );
}
