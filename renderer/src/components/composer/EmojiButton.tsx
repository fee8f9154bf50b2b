import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EmojiPicker } from 'frimousse';
import { Smile } from 'lucide-react';
import { resolveEmojiData } from '../../lib/emoji-data.js';

interface EmojiButtonProps {
  /** An emoji was chosen: the composer puts it at the caret and takes focus back. */
  onPick: (emoji: string) => void;
}

/**
 * The composer's emoji button and the picker it opens above the composer: search first, arrows
 * move through the grid, Enter or a click picks, Escape or a click elsewhere closes.
 */
export function EmojiButton({ onPick }: EmojiButtonProps) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const away = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Escape') return;
    // The composer's own Escape (leaving a reply or an edit) is not meant.
    event.preventDefault();
    event.stopPropagation();
    close();
  }

  return (
    <div className="emoji-button" ref={root}>
      <button
        ref={button}
        type="button"
        className="icon-button"
        aria-label={t('composer.emoji')}
        title={t('composer.emoji')}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? `${id}-picker` : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <Smile aria-hidden="true" />
      </button>
      {open && (
        <div id={`${id}-picker`} role="dialog" aria-label={t('composer.emojiPicker')} className="emoji-picker" onKeyDown={onKeyDown}>
          <EmojiPicker.Root
            locale={i18n.language.startsWith('zh') ? 'zh' : 'en'}
            resolveEmojiData={resolveEmojiData}
            columns={9}
            onEmojiSelect={({ emoji }) => {
              setOpen(false);
              onPick(emoji);
            }}
          >
            <EmojiPicker.Search autoFocus aria-label={t('composer.emojiSearch')} placeholder={t('composer.emojiSearch')} />
            <EmojiPicker.Viewport>
              <EmojiPicker.Loading className="emoji-picker-note">{t('composer.emojiLoading')}</EmojiPicker.Loading>
              <EmojiPicker.Empty className="emoji-picker-note">{t('composer.emojiNone')}</EmojiPicker.Empty>
              <EmojiPicker.List />
            </EmojiPicker.Viewport>
          </EmojiPicker.Root>
        </div>
      )}
    </div>
  );
}
