// Voice notes, the pure parts: the waveform a note carries (loudness of up to 100 slices, 0–255),
// the live level of the microphone, times as m:ss, the recording format and the file's name.
// The browser parts (MediaRecorder, Web Audio) are in hooks/useVoiceRecorder.ts.

/** How many loudness values a voice note carries at most (MediaMeta.waveform). */
export const WAVEFORM_SLICES = 100;
/** Below this RMS a slice counts as silence when scaling: a silent note stays flat instead of showing its hiss at full height. */
const QUIET_RMS = 0.01;

/** One channel from several: their average, sample by sample. */
export function mixDown(channels: readonly Float32Array[]): Float32Array {
  const [first, ...rest] = channels;
  if (!first) return new Float32Array(0);
  if (rest.length === 0) return first;
  const out = new Float32Array(first.length);
  for (const channel of channels) {
    for (let i = 0; i < out.length; i++) out[i]! += (channel[i] ?? 0) / channels.length;
  }
  return out;
}

/**
 * The loudness of up to `slices` equal slices of the samples (RMS), scaled so that the loudest is
 * 255: what a note's bars show. Fewer samples than slices: one slice per sample.
 */
export function waveformOf(samples: ArrayLike<number>, slices = WAVEFORM_SLICES): number[] {
  const count = Math.min(Math.max(0, Math.floor(slices)), samples.length);
  const rms: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * samples.length) / count);
    const end = Math.floor(((i + 1) * samples.length) / count);
    let sum = 0;
    for (let j = start; j < end; j++) {
      const s = samples[j]!;
      sum += Number.isFinite(s) ? s * s : 0;
    }
    rms.push(Math.sqrt(sum / Math.max(1, end - start)));
  }
  const peak = Math.max(QUIET_RMS, ...rms);
  return rms.map((value) => Math.min(255, Math.round((value / peak) * 255)));
}

/**
 * Bars to draw from a note's waveform: `count` values 0–1 (each the loudest of the values it
 * covers, so short sounds stay visible when squeezed). A note without one draws flat, low bars.
 */
export function barsOf(waveform: readonly number[] | undefined, count: number): number[] {
  const n = Math.max(0, Math.floor(count));
  if (!waveform || waveform.length === 0) return Array.from({ length: n }, () => 0);
  return Array.from({ length: n }, (_, i) => {
    const start = Math.floor((i * waveform.length) / n);
    const end = Math.max(start + 1, Math.floor(((i + 1) * waveform.length) / n));
    let peak = 0;
    for (let j = start; j < end && j < waveform.length; j++) peak = Math.max(peak, waveform[j]!);
    return Math.min(1, Math.max(0, peak / 255));
  });
}

/** Sound level 0–1 of a short frame of samples (−1…1): −60 dBFS and below is 0, full scale is 1. */
export function levelOf(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    sum += Number.isFinite(s) ? s * s : 0;
  }
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}

/** m:ss, or h:mm:ss from an hour on; whole seconds, rounded down (what has fully played). */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** A note's total length as shown: to the nearest second, and never 0:00 for a note with sound. */
export function formatTotal(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return formatDuration(0);
  return formatDuration(Math.max(1000, Math.round(ms / 1000) * 1000));
}

/**
 * The position slider's whole seconds: the maximum is the length as shown (formatTotal), and the
 * end of the note is that maximum, also when the length was rounded up (4.6 s shows as 0:05).
 */
export function sliderSeconds(positionMs: number, durationMs: number): { now: number; max: number } {
  const max = Number.isFinite(durationMs) && durationMs > 0 ? Math.max(1, Math.round(durationMs / 1000)) : 0;
  if (max > 0 && positionMs >= durationMs) return { now: max, max };
  const now = Number.isFinite(positionMs) && positionMs > 0 ? Math.floor(positionMs / 1000) : 0;
  return { now: Math.min(now, max), max };
}

/** What MediaRecorder is asked for, best first: Opus everywhere it is offered. */
export const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4;codecs=mp4a.40.2', 'audio/mp4'] as const;

/** The first type this browser can record, or undefined to let it choose its own. */
export function pickRecordingType(isTypeSupported: (type: string) => boolean): string | undefined {
  return RECORDING_TYPES.find((type) => {
    try {
      return isTypeSupported(type);
    } catch {
      return false;
    }
  });
}

/**
 * The MIME type an attachment carries: without parameters (the contract's MimeType has none),
 * lower case; audio/webm when the recorder named none or something unusable.
 */
export function attachmentType(recorded: string | undefined): string {
  const base = (recorded ?? '').split(';')[0]!.trim().toLowerCase();
  return /^audio\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(base) ? base : 'audio/webm';
}

const EXTENSIONS: Record<string, string> = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a', 'audio/mpeg': 'mp3', 'audio/wav': 'wav' };

/** voice-note-2025-12-04-224700.webm: the local time it was recorded, no characters a file system refuses. */
export function voiceNoteName(at: Date, type: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
  return `voice-note-${stamp}.${EXTENSIONS[attachmentType(type)] ?? 'webm'}`;
}

/** Where a key press on the player's slider moves to (ms), or null for a key it does not handle. */
export function seekByKey(key: string, positionMs: number, durationMs: number): number | null {
  const step = 5_000;
  const page = Math.max(step, durationMs / 10);
  const clamp = (ms: number) => Math.min(Math.max(0, ms), Math.max(0, durationMs));
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(positionMs + step);
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(positionMs - step);
    case 'PageUp':
      return clamp(positionMs + page);
    case 'PageDown':
      return clamp(positionMs - page);
    case 'Home':
      return 0;
    case 'End':
      return clamp(durationMs);
    default:
      return null;
  }
}

/** The position (ms) a pointer at clientX points to on a waveform spanning [left, left + width]. */
export function seekAt(clientX: number, left: number, width: number, durationMs: number): number {
  if (!(width > 0) || !(durationMs > 0)) return 0;
  const fraction = Math.min(1, Math.max(0, (clientX - left) / width));
  return fraction * durationMs;
}

/** Why there is no recording: refused, no microphone, held by another app, no support (e.g. not a secure page), or something else. */
export type MicProblem = 'denied' | 'missing' | 'busy' | 'unsupported' | 'failed';

/** What getUserMedia's (or MediaRecorder's) failure means for the person, by the error's name. */
export function problemOf(error: unknown): MicProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'busy';
  if (name === 'TypeError' || name === 'NotSupportedError') return 'unsupported';
  return 'failed';
}
