import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store.js';
import { Composer } from './Composer.js';
import { MembersPanel } from './MembersPanel.js';
import { MessageList } from './MessageList.js';
import { PresenceStatus } from './Presence.js';
import { TypingIndicator } from './TypingIndicator.js';

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const conversation = useStore((s) => s.conversations.find((c) => c.id === conversationId));
  const title = conversation?.title ?? conversationId;
  const isGroup = conversation?.kind === 'group';
  const active = conversation?.active ?? true;
  const [membersOpen, setMembersOpen] = useState(false);
  const id = useId();

  return (
    <section className="conversation" aria-labelledby={`${id}-title`}>
      <header className="conversation-header">
        <div className="conversation-heading">
          <h2 id={`${id}-title`}>{title}</h2>
          {!isGroup && <PresenceStatus username={conversationId} />}
        </div>
        {isGroup && (
          <button
            type="button"
            aria-expanded={membersOpen}
            aria-controls={membersOpen ? `${id}-members` : undefined}
            onClick={() => setMembersOpen((open) => !open)}
          >
            {t('group.members')}
          </button>
        )}
      </header>
      {isGroup && membersOpen && conversation && <MembersPanel id={`${id}-members`} group={conversation} />}
      <MessageList conversationId={conversationId} label={t('conversation.historyLabel', { name: title })} />
      <TypingIndicator conversationId={conversationId} />
      {active ? (
        <Composer conversationId={conversationId} />
      ) : (
        <p className="composer-inactive">{t('group.inactive')}</p>
      )}
    </section>
  );
}
