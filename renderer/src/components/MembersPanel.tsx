import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Conversation } from '../../../shared/ipc.js';
import { addMembers, leaveGroup, removeMember } from '../group-actions.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { parseUsernames } from '../lib/usernames.js';
import { useStore } from '../store.js';
import { Avatar } from './Avatar.js';
import { FormError } from './FormError.js';
import { Modal } from './shell/Modal.js';

/**
 * A group's side sheet of members: its owner adds and removes, anyone leaves. In a group made by an
 * earlier release any member removes, and no one adds. Read-only once this account is no longer in it.
 */
export function MembersPanel({ group, title, onClose }: { group: Conversation; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.profile?.username ?? '');
  const [toAdd, setToAdd] = useState('');
  const { pending: busy, error, run } = useAsyncAction();
  const fieldId = useId();
  const members = [...group.members].sort((a, b) => (a === me ? -1 : b === me ? 1 : a.localeCompare(b)));
  const owns = group.active && group.owner === me;
  const canRemove = owns || (group.active && group.owner === undefined);

  async function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const names = parseUsernames(toAdd, group.members);
    if (names.length === 0) return;
    if (await run(() => addMembers(group.id, names))) setToAdd('');
  }

  return (
    <Modal title={t('group.membersOf', { name: title })} onClose={onClose} sheet>
      {() => (
        <div className="members-panel">
          <p className="muted">{t('group.memberCount', { count: group.members.length })}</p>
          <ul className="member-list">
            {members.map((member) => (
              <li key={member}>
                <Avatar name={member} size={32} />
                <span className="member-name">
                  <span className="member-name-text">{member === me ? t('group.you', { name: member }) : member}</span>
                  {member === group.owner && <span className="owner-badge">{t('group.owner')}</span>}
                </span>
                {canRemove && member !== me && (
                  <button
                    type="button"
                    className="small"
                    aria-label={t('group.removeLabel', { name: member })}
                    disabled={busy}
                    onClick={() => void run(() => removeMember(group.id, member))}
                  >
                    {t('group.remove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {group.active && !owns && <p className="muted members-rights">{ownerNote(group, t)}</p>}
          {group.active && (
            <>
              {owns && (
                <form className="members-add" noValidate onSubmit={(e) => void onAdd(e)}>
                  <label htmlFor={fieldId}>{t('group.add')}</label>
                  <div className="inline-row">
                    <input
                      id={fieldId}
                      type="text"
                      autoComplete="off"
                      autoCapitalize="none"
                      spellCheck={false}
                      value={toAdd}
                      onChange={(e) => setToAdd(e.target.value)}
                    />
                    <button type="submit" disabled={busy}>
                      {t('group.addSubmit')}
                    </button>
                  </div>
                </form>
              )}
              <button type="button" className="danger members-leave" disabled={busy} onClick={() => void run(() => leaveGroup(group.id))}>
                {t('group.leave')}
              </button>
            </>
          )}
          <FormError error={error} />
        </div>
      )}
    </Modal>
  );
}

/** Why this person sees no add form: who may change the group, if anyone still can. */
function ownerNote(group: Conversation, t: TFunction): string {
  if (group.owner === undefined) return t('group.legacy');
  return group.members.includes(group.owner) ? t('group.ownerOnly', { owner: group.owner }) : t('group.ownerLeft');
}
