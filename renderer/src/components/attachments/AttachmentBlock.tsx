// The files a message carries, each as its kind is shown, with where its transfer stands.
import type { AttachmentView } from '../../../../shared/attachment.js';
import { useAttachmentView } from '../../attachment-store.js';
import { FileCard } from './FileCard.js';
import { ImageAttachment } from './ImageAttachment.js';
import { AudioAttachment, VideoAttachment } from './MediaAttachment.js';
import { TransferStatus } from './TransferStatus.js';
import { VoicePlayer } from './VoicePlayer.js';

function Attachment({ initial, conversationId }: { initial: AttachmentView; conversationId: string }) {
  const view = useAttachmentView(initial);
  let body;
  switch (view.kind) {
    case 'image':
      body = <ImageAttachment view={view} conversationId={conversationId} />;
      break;
    case 'video':
      body = <VideoAttachment view={view} />;
      break;
    case 'voice':
      // The voice note's player shows its own fetching and failures.
      return (
        <li className="attachment" data-kind="voice">
          <VoicePlayer attachment={view} />
        </li>
      );
    case 'audio':
      body = <AudioAttachment view={view} />;
      break;
    case 'file':
      body = <FileCard view={view} />;
      break;
  }
  return (
    // The kind as data, not as a class: .attachment-<kind> styles the element inside (a second box here).
    <li className="attachment" data-kind={view.kind} data-attachment-state={view.state}>
      {body}
      <TransferStatus view={view} />
    </li>
  );
}

export function AttachmentBlock({ attachments, conversationId }: { attachments: readonly AttachmentView[]; conversationId: string }) {
  return (
    <ul className="attachments">
      {attachments.map((attachment) => (
        <Attachment key={attachment.id} initial={attachment} conversationId={conversationId} />
      ))}
    </ul>
  );
}
