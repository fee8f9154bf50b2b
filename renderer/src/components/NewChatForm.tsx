import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { startChat } from '../actions.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { FormError } from './FormError.js';
import { NotebookPen } from 'lucide-react';
import { useStore } from '../store.js';

/** A conversation with one person; `onDone` once it is open. */
export function NewChatForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const { pending, error, run } = useAsyncAction();
  const id = useId();
  const me = useStore((s) => s.profile?.username);

  function open(name: string) {
    void run(async () => {
      await startChat(name);
      setUsername('');
      onDone?.();
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (username.trim() === '') return;
    open(username);
  }

  return (
    <form className="new-chat" noValidate aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h3 id={`${id}-title`}>{t('list.person')}</h3>
      <div className="new-chat-row">
        <label htmlFor={`${id}-username`} className="visually-hidden">
          {t('newChat.username')}
        </label>
        <input
          id={`${id}-username`}
          name="username"
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t('newChat.username')}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <button type="submit" disabled={pending}>
          {t('newChat.submit')}
        </button>
      </div>
      <FormError error={error} />
      {me && (
        <button type="button" className="note-to-self-button" disabled={pending} onClick={() => open(me)}>
          <NotebookPen size={18} aria-hidden="true" />
          {t('list.noteToSelf')}
        </button>
      )}
    </form>
  );
}
