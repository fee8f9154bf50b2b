// A video (its first frame and length once fetched, played inline) or an audio file (a player).
// Fetched when scrolled into view; until then a placeholder with the length the sender measured.
import { Play } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../../shared/attachment.js';
import { ensureDownloaded } from '../../attachment-actions.js';
import { placeholderOf } from '../../lib/thumbhash.js';
import { formatDuration } from '../../lib/voice-note.js';
import { boxOf, SHOWABLE, useWhenVisible } from './ImageAttachment.js';

export function VideoAttachment({ view }: { view: AttachmentView }) {
  const { t } = useTranslation();
  const ref = useWhenVisible(() => ensureDownloaded(view));
  const box = boxOf({ width: view.width ?? 320, height: view.height ?? 180 });
  const placeholder = placeholderOf(view.thumbhash);
  return (
    <div
      ref={ref as React.RefObject<HTMLDivElement>}
      className="attachment-video"
      style={{ width: box.width, aspectRatio: `${box.width} / ${box.height}`, backgroundImage: placeholder ? `url("${placeholder}")` : undefined }}
    >
      {SHOWABLE.has(view.state) ? (
        <video src={window.warbler.attachmentUrl(view.id)} controls preload="metadata" width={box.width} height={box.height} aria-label={view.name} />
      ) : (
        <span className="video-pending" aria-label={t('attachment.video', { name: view.name })}>
          <Play size={28} aria-hidden="true" />
          {view.durationMs !== undefined && <span className="duration">{formatDuration(view.durationMs)}</span>}
        </span>
      )}
    </div>
  );
}

export function AudioAttachment({ view }: { view: AttachmentView }) {
  const ref = useWhenVisible(() => ensureDownloaded(view));
  return (
    <div ref={ref as React.RefObject<HTMLDivElement>} className="attachment-audio">
      <span className="file-name">{view.name}</span>
      {SHOWABLE.has(view.state) && <audio src={window.warbler.attachmentUrl(view.id)} controls preload="metadata" aria-label={view.name} />}
    </div>
  );
}
