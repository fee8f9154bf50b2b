import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sendMessage } from '../actions.js';
import { errorMessage } from '../api.js';
import { realClock } from '../lib/timers.js';
import { createTypingSender, type TypingSender } from '../lib/typing-sender.js';
import { sendTyping } from '../typing-actions.js';
import { FormError } from './FormError.js';

/** One typing state per mounted composer (the view is keyed per conversation). */
function useTypingSender(conversationId: string): TypingSender {
  const [sender] = useState(() =>
    createTypingSender({ send: (typing) => sendTyping(conversationId, typing), clock: realClock }),
  );
  // Switching conversation (or leaving the screen) unmounts the composer: "stopped typing".
  useEffect(() => () => sender.stop(), [sender]);
  return sender;
}

export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const blank = text.trim() === '';
  const typing = useTypingSender(conversationId);

  // The view remounts per conversation (keyed): start typing right away.
  useEffect(() => {
    input.current?.focus();
  }, []);

  function send() {
    const body = text.trim();
    if (body === '') return;
    typing.stop();
    setText('');
    setError(null);
    input.current?.focus();
    sendMessage(conversationId, body).catch((err: unknown) => {
      setError(errorMessage(err));
      // Give the text back unless something new was typed meanwhile.
      setText((current) => (current === '' ? body : current));
    });
  }

  function onChange(event: ChangeEvent<HTMLTextAreaElement>) {
    const value = event.target.value;
    setText(value);
    typing.input(value.trim() !== '');
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey) return;
    // Enter that confirms an IME composition (e.g. Pinyin) must not send.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  }

  return (
    <form className="composer" noValidate onSubmit={onSubmit}>
      <FormError error={error} className="composer-error" />
      <div className="composer-row">
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
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="primary" disabled={blank}>
          {t('composer.send')}
        </button>
      </div>
      <p id={`${id}-hint`} className="visually-hidden">
        {t('composer.hint')}
      </p>
    </form>
  );
}
