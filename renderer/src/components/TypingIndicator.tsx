import { useTranslation } from 'react-i18next';
import { formatNameList } from '../lib/usernames.js';
import { NOBODY, useStore } from '../store.js';

/** "alice is typing…" / "alice and bob are typing…". The live region stays mounted so it is announced. */
export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const { t, i18n } = useTranslation();
  const names = useStore((s) => s.typing[conversationId] ?? NOBODY);
  return (
    <div role="status" className="typing-indicator">
      {names.length > 0 && t('typing.someone', { count: names.length, names: formatNameList(names, i18n.language) })}
    </div>
  );
}
