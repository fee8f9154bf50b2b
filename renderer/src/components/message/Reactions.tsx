import { useTranslation } from 'react-i18next';
import type { ChatMessage, Reaction } from '../../../../shared/ipc.js';
import { ownReaction, toggleReaction } from '../../message-actions.js';
import { useStore } from '../../store.js';

/** The reactions under a message, one chip per emoji: who reacted shows on hover; a click toggles one's own. */
export function Reactions({ message, onError }: { message: ChatMessage; onError: (error: unknown) => void }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  if (!message.reactions?.length) return null;
  const mine = ownReaction(message);
  const names = (who: Reaction[]) => who.map((r) => (r.from === me ? t('message.you') : r.from)).join(', ');
  const byEmoji = new Map<string, Reaction[]>();
  for (const reaction of message.reactions) byEmoji.set(reaction.emoji, [...(byEmoji.get(reaction.emoji) ?? []), reaction]);
  return (
    <ul className="message-reactions" aria-label={t('messageActions.reactions')}>
      {[...byEmoji].map(([emoji, who]) => (
        <li key={emoji}>
          <button
            type="button"
            className="reaction-chip"
            aria-pressed={mine === emoji}
            title={names(who)}
            aria-label={t('messageActions.reactedBy', { emoji, names: names(who) })}
            onClick={() => toggleReaction(message, emoji).catch(onError)}
          >
            <span aria-hidden="true">{emoji}</span>
            {who.length > 1 && <span className="reaction-count">{who.length}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
