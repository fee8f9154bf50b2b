import { Fragment, useMemo } from 'react';
import { splitMentions } from '../../../../shared/mentions.js';
import { parseChatText } from '../../../../shared/chat-text.js';
import { useStore } from '../../store.js';
import { renderInline } from '../Markdown.js';

/**
 * A message's text: the little Markdown of chats (bold, italics, code, code blocks, links), bare web
 * addresses as links, and the @mentions of the conversation's people marked (this person's most).
 */
export function MessageText({ text, conversationId }: { text: string; conversationId: string }) {
  const me = useStore((s) => s.profile?.username);
  const members = useStore((s) => s.conversations.find((c) => c.id === conversationId)?.members);
  const blocks = useMemo(() => parseChatText(text), [text]);

  const withMentions = (plain: string, key: number) => (
    <Fragment key={key}>
      {splitMentions(plain).map((piece, i) =>
        piece.mention !== undefined && members?.includes(piece.mention) ? (
          <span key={i} className="mention" data-me={piece.mention === me || undefined}>
            {piece.text}
          </span>
        ) : (
          piece.text
        ),
      )}
    </Fragment>
  );

  return (
    <div className="message-text">
      {blocks.map((block, i) =>
        block.type === 'code' ? (
          <pre key={i}>
            <code>{block.text}</code>
          </pre>
        ) : (
          <p key={i}>{renderInline(block.children, withMentions)}</p>
        ),
      )}
    </div>
  );
}
