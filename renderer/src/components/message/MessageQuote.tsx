import { useTranslation } from 'react-i18next';
import type { Quote } from '../../../../shared/payload.js';
import { jumpToMessage } from '../../search-actions.js';
import { useStore } from '../../store.js';

/** The message a reply answers, as quoted: a click goes to it in the conversation. */
export function MessageQuote({ quote, conversationId }: { quote: Quote; conversationId: string }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const name = quote.from === me ? t('message.you') : quote.from;
  return (
    <button
      type="button"
      className="message-quote"
      aria-label={t('messageActions.quoteOf', { name })}
      onClick={() => void jumpToMessage(conversationId, quote.id)}
    >
      <span className="message-quote-author">{name}</span>
      <span className="message-quote-text">{quote.text === '' ? t('messageActions.quoteEmpty') : quote.text}</span>
    </button>
  );
}
