// The composer's microphone button and, while recording, the recording bar over the composer:
// cancel, a red dot, the time so far, the live level and what releasing will do. Click to record
// and click again to send, or hold to talk and release to send (slide away or Escape cancels): see
// lib/record-gesture.ts. The microphone is asked for when recording starts, and put back when it ends.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api.js';
import { useVoiceRecorder, type MicProblem } from '../../hooks/useVoiceRecorder.js';
import { IDLE, isHolding, nextGesture, type GestureInput, type GestureState } from '../../lib/record-gesture.js';
import { formatDuration } from '../../lib/voice-note.js';
import { sendVoiceNote } from '../../voice-actions.js';
import { CloseIcon, MicIcon, SendIcon } from './voice-icons.js';

/** A note shorter than this is a slip of the finger, not a message. */
export const MIN_VOICE_MS = 500;
/** How far (px) outside the button a held pointer must go for releasing to cancel. */
const SLIDE_AWAY_PX = 40;

interface Props {
  conversationId: string;
  /** Shows (or clears, with null) a message in the composer's error line. */
  onError: (message: string | null) => void;
  disabled?: boolean;
}

export function VoiceRecorder({ conversationId, onError, disabled = false }: Props) {
  const { t } = useTranslation();
  const [gesture, setGesture] = useState<GestureState>(IDLE);
  const gestureNow = useRef<GestureState>(IDLE);
  const [sending, setSending] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // The microphone refused, missing or gone: say why, and the button is a button again.
  const onProblem = useCallback(
    (problem: MicProblem) => {
      gestureNow.current = nextGesture(gestureNow.current, { type: 'ended' }).state;
      setGesture(gestureNow.current);
      onError(t(`voice.problem.${problem}`));
    },
    [onError, t],
  );
  const recorder = useVoiceRecorder(onProblem);
  const { start, finish, cancel } = recorder;

  const finishAndSend = useCallback(async () => {
    setSending(true);
    try {
      const note = await finish();
      if (!note) return;
      if (note.durationMs < MIN_VOICE_MS) {
        onError(t('voice.tooShort'));
        return;
      }
      await sendVoiceNote(conversationId, note);
    } catch (error) {
      onError(errorMessage(error));
    } finally {
      setSending(false);
    }
  }, [conversationId, finish, onError, t]);

  const dispatch = useCallback(
    (input: GestureInput) => {
      const { state, effect } = nextGesture(gestureNow.current, input);
      gestureNow.current = state;
      setGesture(state);
      if (effect === 'start') {
        onError(null);
        void start();
      } else if (effect === 'cancel') {
        cancel();
      } else if (effect === 'finish') {
        void finishAndSend();
      }
    },
    [cancel, finishAndSend, onError, start],
  );

  const recording = gesture.phase !== 'idle';
  // Escape cancels from anywhere while recording (focus may be on the cancel button, or elsewhere).
  useEffect(() => {
    if (!recording) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      dispatch({ type: 'escape' });
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [recording, dispatch]);

  function onPointerDown(event: PointerEvent<HTMLButtonElement>) {
    if (event.button !== 0 || disabled || sending) return;
    // Keep the press to this button (a hold may slide off it), and no text selection or focus dance.
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    button.current?.focus();
    dispatch({ type: 'press', at: performance.now() });
  }

  function onPointerMove(event: PointerEvent<HTMLButtonElement>) {
    const held = gestureNow.current;
    if (held.phase !== 'pressed') return;
    const rect = event.currentTarget.getBoundingClientRect();
    const outside = Math.max(rect.left - event.clientX, event.clientX - rect.right, rect.top - event.clientY, event.clientY - rect.bottom);
    const away = outside > SLIDE_AWAY_PX;
    if (away !== held.away) dispatch({ type: 'away', away });
  }

  function onPointerUp() {
    dispatch({ type: 'release', at: performance.now() });
  }

  function onClick(event: MouseEvent<HTMLButtonElement>) {
    // Pointers are handled on press and release; a click with no pointer is Enter or Space.
    if (event.detail === 0 && !disabled && !sending) dispatch({ type: 'activate' });
  }

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    // Space repeats while held: one toggle per press.
    if (event.key === ' ' && event.repeat) event.preventDefault();
  }

  const held = isHolding(gesture, performance.now());
  const away = gesture.phase === 'pressed' && gesture.away;
  const busy = recorder.status === 'finishing' || sending;
  const label = away ? t('voice.cancel') : recording ? t('voice.stopAndSend') : t('voice.record');
  const hint = away ? t('voice.releaseToCancel') : held ? t('voice.releaseToSend') : '';

  return (
    <div className="voice-recorder" data-recording={recording || undefined} data-away={away || undefined}>
      {recording && (
        <div className="voice-bar">
          <button type="button" className="voice-cancel" aria-label={t('voice.cancel')} title={t('voice.cancel')} onClick={() => dispatch({ type: 'cancel' })}>
            <CloseIcon />
          </button>
          <span className="voice-dot" aria-hidden="true" />
          <span className="voice-elapsed" role="timer" aria-label={t('voice.recording')}>
            {recorder.status === 'starting' ? t('voice.starting') : formatDuration(recorder.elapsedMs)}
          </span>
          <LevelMeter levels={recorder.levels} label={t('voice.level')} />
          {hint && (
            <span className="voice-hint" aria-live="polite">
              {hint}
            </span>
          )}
        </div>
      )}
      {busy && !recording && (
        <span className="voice-busy" role="status">
          {t('voice.sending')}
        </span>
      )}
      <button
        ref={button}
        type="button"
        className={away ? 'voice-mic recording danger' : recording ? 'voice-mic recording primary' : 'voice-mic'}
        aria-label={label}
        title={recording ? label : t('voice.recordHint')}
        disabled={disabled || busy}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        // A release the button never heard (a permission prompt took the pointer) still ends the press.
        onLostPointerCapture={onPointerUp}
        onPointerCancel={() => dispatch({ type: 'cancel' })}
        onClick={onClick}
        onKeyDown={onKeyDown}
        onContextMenu={(event) => event.preventDefault()}
      >
        {away ? <CloseIcon /> : recording ? <SendIcon /> : <MicIcon />}
      </button>
    </div>
  );
}

/** The last few levels as bars, newest on the right. A meter is read when reached, not announced as it moves. */
function LevelMeter({ levels, label }: { levels: number[]; label: string }) {
  const latest = levels.at(-1) ?? 0;
  return (
    <span className="voice-meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(latest * 100)}>
      {levels.map((level, i) => (
        <span key={i} className="voice-meter-bar" style={{ height: `${Math.max(8, Math.round(level * 100))}%` }} />
      ))}
    </span>
  );
}
