import { splitMentions } from '../../../../shared/mentions.js';
import { useStore } from '../../store.js';

/** A message's text, with the @mentions of the conversation's people marked (this person's most). */
export function MessageText({ text, conversationId }: { text: string; conversationId: string }) {
  const me = useStore((s) => s.profile?.username);
  const members = useStore((s) => s.conversations.find((c) => c.id === conversationId)?.members);
  return (
    <p className="message-text">
      {splitMentions(text).map((piece, i) =>
        piece.mention !== undefined && members?.includes(piece.mention) ? (
          <span key={i} className="mention" data-me={piece.mention === me || undefined}>
            {piece.text}
          </span>
        ) : (
          piece.text
        ),
      )}
    </p>
  );
}
