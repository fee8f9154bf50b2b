import { useEffect, useId, useRef, useState, type ChangeEvent, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sendMessage } from '../actions.js';
import { errorMessage } from '../api.js';
import { realClock } from '../lib/timers.js';
import { createTypingSender, type TypingSender } from '../lib/typing-sender.js';
import { sendTyping } from '../typing-actions.js';
import { FormError } from './FormError.js';
import { attachFiles, clearStaged, restoreStaged } from '../attachment-actions.js';
import { useAttachments } from '../attachment-store.js';
import { StagedFiles } from './attachments/StagedFiles.js';
import { VoiceRecorder } from './attachments/VoiceRecorder.js';
import { PaperclipIcon } from './attachments/file-icons.js';
import { useCompose } from '../compose-store.js';
import { saveEdit, stopComposeMode } from '../message-actions.js';
import { ComposeMode } from './message/ComposeMode.js';
import { MentionSuggestions } from './message/MentionSuggestions.js';
import { saveDraft } from '../conversation-actions.js';
import { useStore } from '../store.js';
import { useDesktop } from '../desktop-actions.js';
import { shortcutLabel } from '../lib/shortcuts.js';
import { EmojiButton } from './composer/EmojiButton.js';
import '../composer.css';

/** One typing state per mounted composer (the view is keyed per conversation). */
function useTypingSender(conversationId: string): TypingSender {
  const [sender] = useState(() =>
    createTypingSender({ send: (typing) => sendTyping(conversationId, typing), clock: realClock }),
  );
  // Switching conversation (or leaving the screen) unmounts the composer: "stopped typing".
  useEffect(() => () => sender.stop(), [sender]);
  return sender;
}

/** What was typed is kept as the conversation's draft, this long after the last keystroke. */
const DRAFT_DELAY_MS = 400;

/** The conversation's draft: kept while typing, picked up when the composer opens again (after a restart too). */
function useDraft(conversationId: string): { initial: string; keep: (text: string) => void; clear: () => void } {
  const [initial] = useState(() => useStore.getState().conversations.find((c) => c.id === conversationId)?.draft ?? '');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef<string | null>(null);
  const flush = () => {
    clearTimeout(timer.current);
    if (latest.current === null) return;
    const draft = latest.current;
    latest.current = null;
    saveDraft(conversationId, draft).catch((error: unknown) => console.warn('keeping the draft failed', error));
  };
  // Leaving the conversation keeps what was typed at once.
  useEffect(() => flush, []);
  return {
    initial,
    keep: (text) => {
      latest.current = text;
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, DRAFT_DELAY_MS);
    },
    clear: () => {
      latest.current = '';
      flush();
    },
  };
}

/** The "@name" being typed just before the caret, if any: where it starts and what is typed of the name. */
function mentionAt(text: string, caret: number): { start: number; typed: string } | null {
  const match = /(^|\s)@([A-Za-z0-9_.-]{0,32})$/.exec(text.slice(0, caret));
  return match ? { start: caret - match[2]!.length - 1, typed: match[2]!.toLowerCase() } : null;
}

export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const draft = useDraft(conversationId);
  const [text, setText] = useState(draft.initial);
  const [caret, setCaret] = useState(0);
  const [picked, setPicked] = useState(0);
  const me = useStore((s) => s.profile?.username);
  const members = useStore((s) => s.conversations.find((c) => c.id === conversationId && c.kind === 'group')?.members);
  const mention = members ? mentionAt(text, caret) : null;
  const suggestions = mention ? (members ?? []).filter((m) => m !== me && m.startsWith(mention.typed)).slice(0, 6) : [];
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const staging = useAttachments((s) => s.staging[conversationId]);
  const files = staging ?? [];
  const filesReady = files.length > 0 && files.every((f) => f.staged !== null);
  const filesBusy = files.some((f) => f.staged === null && f.error === null);
  const blank = text.trim() === '' && files.length === 0;
  const typing = useTypingSender(conversationId);
  const picker = useRef<HTMLInputElement>(null);
  const mode = useCompose((s) => s.mode[conversationId]);
  const editing = mode?.kind === 'edit' ? mode.message : null;
  const enterSends = useDesktop((s) => s.settings?.enterSends ?? true);

  // The view remounts per conversation (keyed): start typing right away.
  useEffect(() => {
    input.current?.focus();
  }, []);

  // Replying or editing was chosen on a message: the text to edit comes in, and the caret with it.
  useEffect(() => {
    if (!mode) return;
    if (mode.kind === 'edit') setText(mode.message.text);
    input.current?.focus();
  }, [mode]);

  function cancelMode() {
    if (mode?.kind === 'edit') setText('');
    stopComposeMode(conversationId);
    input.current?.focus();
  }

  function save(message: NonNullable<typeof editing>) {
    const body = text.trim();
    if (body === '') return;
    stopComposeMode(conversationId);
    setText('');
    setError(null);
    if (body === message.text) return;
    saveEdit(message, body).catch((err: unknown) => {
      setError(errorMessage(err));
      setText((current) => (current === '' ? body : current));
    });
  }

  function send() {
    if (editing) {
      save(editing);
      return;
    }
    const body = text.trim();
    if (body === '' && files.length === 0) return;
    // Files still being encrypted, or refused: the person sees why on their chips.
    if (files.length > 0 && !filesReady) return;
    const attachments = files.map((f) => f.staged!.stagedId);
    const sentFiles = files;
    const replyTo = mode?.kind === 'reply' ? mode.message.id : undefined;
    typing.stop();
    setText('');
    draft.clear();
    setError(null);
    if (attachments.length > 0) clearStaged(conversationId);
    if (replyTo) stopComposeMode(conversationId);
    input.current?.focus();
    sendMessage(conversationId, body, attachments, replyTo).catch((err: unknown) => {
      setError(errorMessage(err));
      // Give the text back unless something new was typed meanwhile, and the files with it.
      setText((current) => (current === '' ? body : current));
      if (sentFiles.length > 0) restoreStaged(conversationId, sentFiles);
    });
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const pasted = [...event.clipboardData.files];
    if (pasted.length === 0) return;
    event.preventDefault();
    attachFiles(conversationId, pasted);
  }

  function onPick(event: ChangeEvent<HTMLInputElement>) {
    const picked = [...(event.target.files ?? [])];
    event.target.value = '';
    if (picked.length > 0) attachFiles(conversationId, picked);
    input.current?.focus();
  }

  function pickMention(name: string) {
    if (!mention) return;
    const next = `${text.slice(0, mention.start)}@${name} ${text.slice(caret)}`;
    const at = mention.start + name.length + 2;
    setText(next);
    setCaret(at);
    setPicked(0);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  }

  function insertEmoji(emoji: string) {
    const field = input.current;
    const start = field?.selectionStart ?? text.length;
    const end = field?.selectionEnd ?? text.length;
    const value = text.slice(0, start) + emoji + text.slice(end);
    const at = start + emoji.length;
    changed(value, at);
    field?.focus();
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  }

  function onChange(event: ChangeEvent<HTMLTextAreaElement>) {
    changed(event.target.value, event.target.selectionStart);
  }

  /** What is typed (or picked) changed: the draft, the mention being typed and "typing…" follow it. */
  function changed(value: string, at: number) {
    setText(value);
    setCaret(at);
    setPicked(0);
    if (!editing) draft.keep(value);
    typing.input(value.trim() !== '');
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length > 0 && ['ArrowDown', 'ArrowUp', 'Enter', 'Tab', 'Escape'].includes(event.key) && !event.nativeEvent.isComposing) {
      event.preventDefault();
      if (event.key === 'ArrowDown') setPicked((i) => (i + 1) % suggestions.length);
      else if (event.key === 'ArrowUp') setPicked((i) => (i - 1 + suggestions.length) % suggestions.length);
      else if (event.key === 'Escape') setCaret(0);
      else pickMention(suggestions[picked] ?? suggestions[0]!);
      return;
    }
    if (event.key === 'Escape' && mode) {
      event.preventDefault();
      cancelMode();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.altKey) return;
    // Enter that confirms an IME composition (e.g. Pinyin) must not send.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    // Enter alone starts a new line, as in a text field, when so chosen.
    if (!enterSends && !event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    send();
  }

  return (
    <form className="composer" noValidate onSubmit={onSubmit}>
      <FormError error={error} className="composer-error" />
      {mode && <ComposeMode mode={mode} onCancel={cancelMode} />}
      {files.length > 0 && <StagedFiles conversationId={conversationId} items={files} />}
      {suggestions.length > 0 && <MentionSuggestions names={suggestions} active={picked} onPick={pickMention} />}
      <div className="composer-row">
        <input ref={picker} type="file" multiple hidden tabIndex={-1} aria-hidden="true" data-testid="attach-input" onChange={onPick} />
        {!editing && (
          <button type="button" className="icon-button attach-button" aria-label={t('composer.attach')} title={t('composer.attach')} onClick={() => picker.current?.click()}>
            <PaperclipIcon />
          </button>
        )}
        <label htmlFor={`${id}-text`} className="visually-hidden">
          {t('composer.label')}
        </label>
        <textarea
          id={`${id}-text`}
          ref={input}
          name="message"
          rows={1}
          placeholder={t('composer.placeholder')}
          aria-describedby={`${id}-hint`}
          value={text}
          onChange={onChange}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <EmojiButton onPick={insertEmoji} />
        {!editing && <VoiceRecorder conversationId={conversationId} onError={setError} />}
        <button type="submit" className="primary" disabled={blank || filesBusy || (files.length > 0 && !filesReady)}>
          {editing ? t('messageActions.save') : t('composer.send')}
        </button>
      </div>
      <p id={`${id}-hint`} className="visually-hidden">
        {enterSends ? t('composer.hint') : t('composer.hintModifier', { keys: shortcutLabel('Enter') })}
      </p>
    </form>
  );
}
