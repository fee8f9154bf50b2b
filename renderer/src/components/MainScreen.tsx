import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { loadConversations } from '../actions.js';
import { useStore } from '../store.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ExpiredNotice } from './ExpiredNotice.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';
import { NewChatForm } from './NewChatForm.js';

export function MainScreen() {
  const { t } = useTranslation();
  const username = useStore((s) => s.profile?.username ?? '');
  const selectedId = useStore((s) => s.selectedId);

  useEffect(() => {
    loadConversations().catch((error: unknown) => console.warn('loading conversations failed', error));
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-name">{t('app.name')}</h1>
        <p className="signed-in">{t('app.signedInAs', { username })}</p>
      </header>
      <ConnectionBanner />
      <ExpiredNotice />
      <div className="panes">
        <aside className="sidebar">
          <NewChatForm />
          <ConversationList />
        </aside>
        <main className="conversation-pane">
          {selectedId ? (
            <ConversationView key={selectedId} conversationId={selectedId} />
          ) : (
            <p className="empty-state">{t('conversation.none')}</p>
          )}
        </main>
      </div>
    </div>
  );
}
