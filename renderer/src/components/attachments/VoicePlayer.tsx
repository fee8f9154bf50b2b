// A voice note in the conversation: play/pause, its waveform (the bars it carries, the played part
// coloured), elapsed and total time. The waveform is a slider: click or drag to seek, or use the
// arrow keys, Page Up/Down, Home and End. The sound is fetched (and verified) when the note is
// shown, and played from the page's own origin (window.warbler.attachmentUrl), decrypted by the host.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../../shared/attachment.js';
import { errorMessage, invoke, on } from '../../api.js';
import { barsOf, formatDuration, formatTotal, seekAt, seekByKey, sliderSeconds } from '../../lib/voice-note.js';
import { PauseIcon, PlayIcon, RetryIcon } from './voice-icons.js';

/** Bars drawn: the 100 values a note carries, squeezed by their peaks. */
const BARS = 40;
/** States whose ciphertext is in the profile: the host can serve the sound. */
const PLAYABLE: ReadonlySet<AttachmentView['state']> = new Set(['ready', 'uploaded', 'uploading']);
/** Only one note plays at a time: starting one pauses the one before. */
let playingNow: HTMLAudioElement | null = null;

export function VoicePlayer({ attachment }: { attachment: AttachmentView }) {
  const { t } = useTranslation();
  const [view, setView] = useLiveView(attachment);
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [positionMs, setPosition] = useState(0);
  const [mediaDurationMs, setMediaDuration] = useState<number | null>(null);
  const [wantsToPlay, setWantsToPlay] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const dragging = useRef(false);
  const playable = PLAYABLE.has(view.state);
  const durationMs = view.durationMs ?? mediaDurationMs ?? 0;
  const id = view.id;

  const download = useCallback(() => {
    invoke('attachments:download', { id }).then(setView, (error: unknown) => setProblem(errorMessage(error)));
  }, [id, setView]);

  // Shown: fetch it now, so that it plays at once when asked (voice notes are small).
  const shownState = useRef(view.state);
  useEffect(() => {
    if (shownState.current === 'remote') download();
  }, [download]);

  const play = useCallback(() => {
    const element = audio.current;
    if (!element) return;
    // Seeked before it could play: start from there.
    if (Math.abs(element.currentTime * 1000 - positionMs) > 250) element.currentTime = positionMs / 1000;
    setProblem(null);
    element.play().catch((error: unknown) => {
      console.warn('the voice note could not be played', error);
      setProblem(t('voice.cannotPlay'));
    });
  }, [positionMs, t]);

  // Asked to play while it was still on its way.
  useEffect(() => {
    if (wantsToPlay && playable) {
      setWantsToPlay(false);
      play();
    }
  }, [wantsToPlay, playable, play]);

  // The time moves smoothly while playing (timeupdate alone comes only every 250 ms or so).
  useEffect(() => {
    if (!playing) return;
    let frame = requestAnimationFrame(function tick() {
      const element = audio.current;
      if (element && !dragging.current) setPosition(element.currentTime * 1000);
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  // Leaving the conversation stops the sound with it.
  useEffect(() => {
    const element = audio.current;
    return () => {
      element?.pause();
      if (playingNow === element) playingNow = null;
    };
  }, []);

  function toggle() {
    if (playing) return audio.current?.pause();
    if (playable) return play();
    setWantsToPlay(true);
    if (view.state === 'remote' || view.state === 'failed') download();
  }

  function seekTo(ms: number) {
    setPosition(ms);
    const element = audio.current;
    if (element && playable && element.readyState > 0) element.currentTime = ms / 1000;
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    dragging.current = true;
    const rect = event.currentTarget.getBoundingClientRect();
    seekTo(seekAt(event.clientX, rect.left, rect.width, durationMs));
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (!dragging.current) return;
    const rect = event.currentTarget.getBoundingClientRect();
    seekTo(seekAt(event.clientX, rect.left, rect.width, durationMs));
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const to = seekByKey(event.key, positionMs, durationMs);
    if (to === null) return;
    event.preventDefault();
    seekTo(to);
  }

  const failed = view.state === 'failed' || view.state === 'damaged' || view.state === 'missing';
  const loading = !playable && !failed;
  const percent = view.cipherSize > 0 ? Math.min(100, Math.round((view.transferred / view.cipherSize) * 100)) : 0;
  const played = durationMs > 0 ? Math.min(1, positionMs / durationMs) : 0;
  const bars = barsOf(view.waveform, BARS);
  const started = playing || positionMs > 0;
  const slider = sliderSeconds(positionMs, durationMs);
  const elapsed = formatDuration(slider.now * 1000);
  const total = formatTotal(durationMs);
  const note = failed && view.error ? errorMessage(view.error) : problem;

  return (
    <div className="voice-player" data-playing={playing || undefined} data-state={view.state}>
      <button
        type="button"
        className="voice-play"
        aria-label={playing ? t('voice.pause') : t('voice.play')}
        title={playing ? t('voice.pause') : t('voice.play')}
        aria-busy={(loading && wantsToPlay) || undefined}
        onClick={toggle}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <div className="voice-track">
        <div
          className="voice-wave"
          role="slider"
          tabIndex={0}
          aria-label={t('voice.position')}
          aria-valuemin={0}
          aria-valuemax={slider.max}
          aria-valuenow={slider.now}
          aria-valuetext={t('voice.positionText', { elapsed, total })}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={() => (dragging.current = false)}
          onPointerCancel={() => (dragging.current = false)}
          onKeyDown={onKeyDown}
        >
          {bars.map((height, i) => (
            <span
              key={i}
              className={(i + 0.5) / bars.length <= played ? 'voice-wave-bar played' : 'voice-wave-bar'}
              style={{ height: `${Math.max(12, Math.round(height * 100))}%` }}
            />
          ))}
        </div>
        <p className="voice-time">
          {loading && wantsToPlay ? (
            <span>{t('voice.loading', { percent })}</span>
          ) : (
            <>
              {started && <span className="voice-elapsed-time">{elapsed} / </span>}
              <span className="voice-total">{total}</span>
            </>
          )}
        </p>
      </div>
      {note && (
        <p className="voice-problem" role="alert">
          {note}
          {failed && view.state !== 'missing' && (
            <button type="button" className="small voice-retry" onClick={() => invoke('attachments:retry', { id }).then(setView, (error: unknown) => setProblem(errorMessage(error)))}>
              <RetryIcon />
              {t('voice.retry')}
            </button>
          )}
        </p>
      )}
      <audio
        ref={audio}
        src={playable ? window.warbler.attachmentUrl(id) : undefined}
        preload="metadata"
        onPlay={(event) => {
          if (playingNow && playingNow !== event.currentTarget) playingNow.pause();
          playingNow = event.currentTarget;
          setPlaying(true);
        }}
        onPause={(event) => {
          if (playingNow === event.currentTarget) playingNow = null;
          setPlaying(false);
        }}
        onEnded={(event) => {
          event.currentTarget.currentTime = 0;
          setPosition(0);
        }}
        onLoadedMetadata={(event) => {
          const seconds = event.currentTarget.duration;
          if (Number.isFinite(seconds)) setMediaDuration(seconds * 1000);
        }}
        onError={() => setProblem(t('voice.cannotPlay'))}
      />
    </div>
  );
}

/** The attachment as last heard: the prop, then its transfer's events as they come. */
function useLiveView(attachment: AttachmentView): [AttachmentView, (view: AttachmentView) => void] {
  const [view, setView] = useState(attachment);
  useEffect(() => setView(attachment), [attachment]);
  useEffect(
    () =>
      on('attachment', (next) => {
        if (next.id === attachment.id) setView(next);
      }),
    [attachment.id],
  );
  return [view, setView];
}
