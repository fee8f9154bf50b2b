// Records a voice note with the browser's own parts: getUserMedia for the microphone, MediaRecorder
// (Opus where offered) for the file, an AnalyserNode for the live level. The microphone is asked for
// only when recording starts, and every track is stopped the moment it ends (sent or cancelled), so
// the OS shows the microphone in use only while recording. The pure parts are in lib/voice-note.ts.
import { useCallback, useEffect, useRef, useState } from 'react';
import { levelOf, mixDown, pickRecordingType, problemOf, waveformOf, type MicProblem } from '../lib/voice-note.js';

export type { MicProblem };

export interface VoiceNote {
  blob: Blob;
  /** What MediaRecorder produced, e.g. audio/webm;codecs=opus. */
  type: string;
  durationMs: number;
  /** Loudness of up to 100 slices, 0–255 (MediaMeta.waveform). */
  waveform: number[];
}

export type RecorderStatus = 'idle' | 'starting' | 'recording' | 'finishing';

export interface VoiceRecorder {
  status: RecorderStatus;
  /** Milliseconds recorded so far. */
  elapsedMs: number;
  /** The most recent levels (0–1), oldest first: the live meter. */
  levels: number[];
  start(): Promise<void>;
  /** Stops and hands over the note; null when nothing was recorded (or it could not be read). */
  finish(): Promise<VoiceNote | null>;
  cancel(): void;
}

/** Levels the meter shows at once. */
export const METER_LEVELS = 72;
const METER_TICK_MS = 60;
/** Opus speech is clear at this rate: a minute is about 240 KB. */
const BITS_PER_SECOND = 32_000;
const MAX_DURATION_MS = 24 * 3600_000;

interface Session {
  stream: MediaStream | null;
  recorder: MediaRecorder | null;
  context: AudioContext | null;
  timer: ReturnType<typeof setInterval> | null;
  chunks: Blob[];
  startedAt: number;
  /** Finished or cancelled: a microphone granted after this is put back at once. */
  over: boolean;
}

/** Puts the microphone back: every track stopped, the meter's graph closed. */
function release(session: Session): void {
  if (session.timer !== null) clearInterval(session.timer);
  session.timer = null;
  for (const track of session.stream?.getTracks() ?? []) track.stop();
  session.stream = null;
  void session.context?.close().catch(() => undefined);
  session.context = null;
}

/** Decodes the recorded file (off any audio device) for its exact length and its waveform. */
async function measure(blob: Blob): Promise<{ durationMs: number; waveform: number[] } | null> {
  try {
    const decoder = new OfflineAudioContext(1, 1, 48_000);
    const buffer = await decoder.decodeAudioData(await blob.arrayBuffer());
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
    return { durationMs: Math.round(buffer.duration * 1000), waveform: waveformOf(mixDown(channels)) };
  } catch (error) {
    console.warn('the voice note could not be decoded for its waveform', error);
    return null;
  }
}

/** `onProblem`: the recording could not start, or stopped by itself (it is over; nothing to send). */
export function useVoiceRecorder(onProblem: (problem: MicProblem) => void): VoiceRecorder {
  const [status, setStatus] = useState<RecorderStatus>('idle');
  const [elapsedMs, setElapsed] = useState(0);
  const [levels, setLevels] = useState<number[]>([]);
  const current = useRef<Session | null>(null);
  const report = useRef(onProblem);
  useEffect(() => {
    report.current = onProblem;
  }, [onProblem]);

  const end = useCallback((session: Session) => {
    session.over = true;
    release(session);
    if (current.current === session) current.current = null;
  }, []);

  const fail = useCallback(
    (session: Session, why: MicProblem) => {
      const wasCurrent = current.current === session;
      end(session);
      if (!wasCurrent) return;
      setStatus('idle');
      report.current(why);
    },
    [end],
  );

  const start = useCallback(async () => {
    if (current.current) return;
    const session: Session = { stream: null, recorder: null, context: null, timer: null, chunks: [], startedAt: 0, over: false };
    current.current = session;
    setElapsed(0);
    setLevels([]);
    setStatus('starting');
    // Not a secure page, or a browser without MediaRecorder: nothing to ask for.
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') return fail(session, 'unsupported');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      return fail(session, problemOf(error));
    }
    session.stream = stream;
    // Released (or cancelled) while the microphone was being asked for: put it straight back.
    if (session.over) return release(session);
    try {
      const mimeType = pickRecordingType((type) => MediaRecorder.isTypeSupported(type));
      const recorder = new MediaRecorder(stream, { ...(mimeType ? { mimeType } : {}), audioBitsPerSecond: BITS_PER_SECOND });
      session.recorder = recorder;
      recorder.addEventListener('dataavailable', (event) => {
        if (event.data.size > 0) session.chunks.push(event.data);
      });
      recorder.addEventListener('error', () => fail(session, 'failed'));
      // The microphone unplugged or taken away mid-recording.
      for (const track of stream.getAudioTracks()) track.addEventListener('ended', () => fail(session, 'missing'));
      recorder.start(1000);
      session.startedAt = performance.now();

      const context = new AudioContext();
      session.context = context;
      const analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      context.createMediaStreamSource(stream).connect(analyser);
      const frame = new Float32Array(analyser.fftSize);
      session.timer = setInterval(() => {
        analyser.getFloatTimeDomainData(frame);
        const level = levelOf(frame);
        setLevels((previous) => [...previous.slice(1 - METER_LEVELS), level]);
        setElapsed(performance.now() - session.startedAt);
      }, METER_TICK_MS);
      setStatus('recording');
    } catch (error) {
      console.warn('recording could not start', error);
      fail(session, 'failed');
    }
  }, [fail]);

  const finish = useCallback(async (): Promise<VoiceNote | null> => {
    const session = current.current;
    if (!session) return null;
    const recorder = session.recorder;
    if (!recorder || recorder.state === 'inactive') {
      end(session);
      setStatus('idle');
      return null;
    }
    const wallMs = performance.now() - session.startedAt;
    const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
    recorder.stop();
    end(session);
    setStatus('finishing');
    await stopped;
    try {
      const type = recorder.mimeType || 'audio/webm';
      const blob = new Blob(session.chunks, { type });
      if (blob.size === 0) return null;
      const measured = await measure(blob);
      const durationMs = Math.min(MAX_DURATION_MS, Math.max(0, Math.round(measured?.durationMs ?? wallMs)));
      return { blob, type, durationMs, waveform: measured?.waveform ?? [] };
    } finally {
      setStatus('idle');
    }
  }, [end]);

  const cancel = useCallback(() => {
    const session = current.current;
    if (!session) return;
    if (session.recorder && session.recorder.state !== 'inactive') session.recorder.stop();
    session.chunks = [];
    end(session);
    setStatus('idle');
  }, [end]);

  // Leaving the conversation (the composer unmounts) throws an unfinished note away.
  useEffect(
    () => () => {
      const session = current.current;
      if (!session) return;
      if (session.recorder && session.recorder.state !== 'inactive') session.recorder.stop();
      end(session);
    },
    [end],
  );

  return { status, elapsedMs, levels, start, finish, cancel };
}
