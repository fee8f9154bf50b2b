import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createGroup } from '../group-actions.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { parseUsernames } from '../lib/usernames.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';

/** A group with its first members; `onDone` once it is open. */
export function NewGroupForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.profile?.username ?? '');
  const [name, setName] = useState('');
  const [members, setMembers] = useState('');
  const { pending, error, setError, run } = useAsyncAction();
  const id = useId();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const list = parseUsernames(members, [me]);
    if (name.trim() === '') {
      setError(t('newGroup.needName'));
      return;
    }
    if (list.length === 0) {
      setError(t('newGroup.needMembers'));
      return;
    }
    void run(async () => {
      await createGroup(name, list);
      setName('');
      setMembers('');
      onDone?.();
    });
  }

  return (
    <form className="new-chat new-group" noValidate aria-labelledby={`${id}-title`} onSubmit={onSubmit}>
      <h3 id={`${id}-title`}>{t('newGroup.heading')}</h3>
      <label htmlFor={`${id}-name`} className="visually-hidden">
        {t('newGroup.name')}
      </label>
      <input
        id={`${id}-name`}
        name="groupName"
        type="text"
        autoComplete="off"
        maxLength={64}
        placeholder={t('newGroup.name')}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor={`${id}-members`} className="visually-hidden">
        {t('newGroup.members')}
      </label>
      <div className="new-chat-row">
        <input
          id={`${id}-members`}
          name="members"
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder={t('newGroup.members')}
          aria-describedby={`${id}-members-hint`}
          value={members}
          onChange={(e) => setMembers(e.target.value)}
        />
        <button type="submit" disabled={pending}>
          {t('newGroup.submit')}
        </button>
      </div>
      <p id={`${id}-members-hint`} className="hint">
        {t('newGroup.membersHint')}
      </p>
      <FormError error={error} />
    </form>
  );
}
