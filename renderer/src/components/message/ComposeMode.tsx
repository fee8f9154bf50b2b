import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ComposeMode as Mode } from '../../compose-store.js';
import { useStore } from '../../store.js';

/** Above the composer: the message being answered (its quote) or edited, and a way out of that. */
export function ComposeMode({ mode, onCancel }: { mode: Mode; onCancel: () => void }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const { message } = mode;
  const name = message.sender === me ? t('message.you') : message.sender;
  const cancel = mode.kind === 'reply' ? t('messageActions.cancelReply') : t('messageActions.cancelEdit');
  return (
    <div className="compose-mode" data-mode={mode.kind}>
      <div className="compose-mode-text">
        <p className="compose-mode-title">{mode.kind === 'reply' ? t('messageActions.replyingTo', { name }) : t('messageActions.editing')}</p>
        <p className="compose-mode-quote">{message.text === '' ? t('messageActions.quoteEmpty') : message.text}</p>
      </div>
      <button type="button" className="icon-button" aria-label={cancel} title={cancel} onClick={onCancel}>
        <X size={16} aria-hidden="true" />
      </button>
    </div>
  );
}
