import { Check } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useConversationTitle } from '../../hooks/useConversationTitle.js';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, Conversation } from '../../../../shared/ipc.js';
import { errorMessage } from '../../api.js';
import { forwardMessage } from '../../message-actions.js';
import { useStore } from '../../store.js';

type Sent = 'sending' | 'sent' | { error: string };

/**
 * Where to forward a message: the conversations one can still write to, filtered as one types;
 * each is sent to with its own button, so a message can go to several before the dialog closes.
 * A native modal dialog: focus stays inside, Escape closes it, focus returns to the toolbar.
 */
export function ForwardDialog({ message, onClose }: { message: ChatMessage; onClose: () => void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const conversations = useStore((s) => s.conversations);
  const [filter, setFilter] = useState('');
  const [sent, setSent] = useState<Record<string, Sent>>({});
  const titleOf = useConversationTitle();

  useEffect(() => {
    const node = dialog.current;
    node?.showModal();
    return () => node?.close();
  }, []);

  const targets = useMemo(() => {
    const wanted = filter.trim().toLocaleLowerCase();
    return conversations
      .filter((c) => c.active && (wanted === '' || titleOf(c).toLocaleLowerCase().includes(wanted) || c.id.toLocaleLowerCase().includes(wanted)))
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }, [conversations, filter, titleOf]);

  const send = (conversation: Conversation) => {
    setSent((now) => ({ ...now, [conversation.id]: 'sending' }));
    forwardMessage(message, conversation.id).then(
      () => setSent((now) => ({ ...now, [conversation.id]: 'sent' })),
      (error: unknown) => setSent((now) => ({ ...now, [conversation.id]: { error: errorMessage(error) } })),
    );
  };

  return (
    <dialog
      ref={dialog}
      className="forward-dialog"
      aria-labelledby="forward-title"
      onClose={onClose}
      onClick={(event) => event.target === event.currentTarget && dialog.current?.close()}
      // Escape closes this dialog only, not the conversation or popover around it.
      onKeyDown={(event) => event.key === 'Escape' && event.stopPropagation()}
    >
      <h2 id="forward-title">{t('forward.title')}</h2>
      <blockquote className="forward-preview">
        {message.text !== '' ? message.text : t('forward.files', { count: message.attachments?.length ?? 0 })}
      </blockquote>
      <input
        type="search"
        className="forward-filter"
        aria-label={t('forward.filter')}
        placeholder={t('forward.filter')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        autoFocus
      />
      <ul className="forward-targets">
        {targets.length === 0 && <li className="muted forward-none">{t('forward.none')}</li>}
        {targets.map((c) => {
          const state = sent[c.id];
          const failed = typeof state === 'object' ? state.error : null;
          return (
            <li key={c.id} className="forward-target">
              <span className="forward-target-name">
                <span aria-hidden="true" className="forward-target-icon">
                  {c.kind === 'group' ? '#' : '@'}
                </span>
                {titleOf(c)}
              </span>
              {failed && (
                <span className="forward-error" role="alert">
                  {failed}
                </span>
              )}
              <button
                type="button"
                className={state === 'sent' ? 'small forward-sent' : 'small primary'}
                aria-disabled={state === 'sending' || state === 'sent' || undefined}
                aria-label={t(state === 'sent' ? 'forward.sentTo' : 'forward.sendTo', { name: titleOf(c) })}
                onClick={state === 'sending' || state === 'sent' ? undefined : () => send(c)}
              >
                {state === 'sent' ? (
                  <>
                    <Check size={14} aria-hidden="true" /> {t('forward.sent')}
                  </>
                ) : state === 'sending' ? (
                  t('forward.sending')
                ) : (
                  t('forward.send')
                )}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="forward-buttons">
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('forward.done')}
        </button>
      </div>
    </dialog>
  );
}
