import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attachmentType,
  barsOf,
  formatDuration,
  formatTotal,
  levelOf,
  mixDown,
  pickRecordingType,
  problemOf,
  seekAt,
  seekByKey,
  sliderSeconds,
  voiceNoteName,
  waveformOf,
  WAVEFORM_SLICES,
} from './voice-note.js';
import { MediaMeta, AttachmentName, MimeType } from '../../../shared/attachment.js';

/** A sine of this amplitude, `n` samples long. */
function tone(n: number, amplitude: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin(i / 7));
}

describe('a voice note\'s waveform', () => {
  it('is at most 100 whole numbers 0–255, the loudest slice 255, and passes the contract', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { maxLength: 5000 }), (values) => {
        const waveform = waveformOf(Float32Array.from(values));
        expect(waveform.length).toBe(Math.min(WAVEFORM_SLICES, values.length));
        for (const v of waveform) {
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(255);
        }
        expect(MediaMeta.safeParse({ waveform }).success).toBe(true);
      }),
    );
  });

  it('follows the loudness: a quiet half then a loud half', () => {
    const samples = new Float32Array(48_000);
    samples.set(tone(24_000, 0.05), 0);
    samples.set(tone(24_000, 0.5), 24_000);
    const waveform = waveformOf(samples);
    expect(waveform).toHaveLength(100);
    expect(Math.max(...waveform.slice(50))).toBe(255);
    expect(Math.max(...waveform.slice(0, 50))).toBeLessThan(40);
    expect(Math.min(...waveform.slice(0, 50))).toBeGreaterThan(15);
  });

  it('stays flat for silence and near-silence instead of blowing hiss up to full height', () => {
    expect(waveformOf(new Float32Array(10_000))).toEqual(Array.from({ length: 100 }, () => 0));
    expect(Math.max(...waveformOf(tone(10_000, 0.001)))).toBeLessThan(30);
  });

  it('has one value per sample when there are fewer samples than slices, and none for no sound', () => {
    expect(waveformOf(Float32Array.from([0.5, -0.25, 0]))).toEqual([255, 128, 0]);
    expect(waveformOf(new Float32Array(0))).toEqual([]);
  });

  it('ignores samples that are not numbers', () => {
    expect(waveformOf([NaN, 1, 1, 1], 2)).toEqual([180, 255]);
    expect(waveformOf([Infinity, 1, 1, 1], 2)).toEqual([180, 255]);
  });

  it('mixes several channels into one', () => {
    expect(Array.from(mixDown([Float32Array.from([1, 0.5]), Float32Array.from([0, -0.5])]))).toEqual([0.5, 0]);
    expect(mixDown([])).toHaveLength(0);
  });
});

describe('the bars a player draws', () => {
  it('squeezes 100 values into fewer bars by their peaks, scaled 0–1', () => {
    const waveform = Array.from({ length: 100 }, (_, i) => (i === 37 ? 255 : 0));
    const bars = barsOf(waveform, 40);
    expect(bars).toHaveLength(40);
    expect(bars.filter((b) => b === 1)).toHaveLength(1);
    expect(bars.filter((b) => b === 0)).toHaveLength(39);
  });

  it('stretches a short waveform over more bars', () => {
    expect(barsOf([0, 255], 4)).toEqual([0, 0, 1, 1]);
  });

  it('draws flat bars for a note without a waveform', () => {
    expect(barsOf(undefined, 3)).toEqual([0, 0, 0]);
    expect(barsOf([], 2)).toEqual([0, 0]);
  });
});

describe('the live level', () => {
  it('is 0 for silence, 1 at full scale, and in between on a dB scale', () => {
    expect(levelOf(new Float32Array(256))).toBe(0);
    expect(levelOf(Float32Array.from({ length: 256 }, (_, i) => (i % 2 ? 1 : -1)))).toBe(1);
    const half = levelOf(Float32Array.from({ length: 256 }, (_, i) => (i % 2 ? 0.001 : -0.001)));
    expect(half).toBeCloseTo(0, 5);
    const mid = levelOf(Float32Array.from({ length: 256 }, (_, i) => (i % 2 ? 0.0316 : -0.0316)));
    expect(mid).toBeCloseTo(0.5, 2);
    expect(levelOf([])).toBe(0);
  });
});

describe('times', () => {
  it('show as m:ss, and h:mm:ss from an hour on', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(999)).toBe('0:00');
    expect(formatDuration(5_400)).toBe('0:05');
    expect(formatDuration(83_000)).toBe('1:23');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(-5)).toBe('0:00');
    expect(formatDuration(NaN)).toBe('0:00');
  });

  it('a total rounds to the nearest second and is never 0:00 for a note with sound', () => {
    expect(formatTotal(4_600)).toBe('0:05');
    expect(formatTotal(4_400)).toBe('0:04');
    expect(formatTotal(300)).toBe('0:01');
    expect(formatTotal(0)).toBe('0:00');
  });

  it('the slider reaches its maximum at the end, also when the length was rounded up', () => {
    expect(sliderSeconds(4_600, 4_600)).toEqual({ now: 5, max: 5 });
    expect(sliderSeconds(4_599, 4_600)).toEqual({ now: 4, max: 5 });
    expect(sliderSeconds(0, 4_600)).toEqual({ now: 0, max: 5 });
    expect(sliderSeconds(4_400, 4_400)).toEqual({ now: 4, max: 4 });
    expect(sliderSeconds(300, 300)).toEqual({ now: 1, max: 1 });
    expect(sliderSeconds(9_000, 4_400)).toEqual({ now: 4, max: 4 });
    expect(sliderSeconds(0, 0)).toEqual({ now: 0, max: 0 });
    expect(sliderSeconds(Number.NaN, Number.NaN)).toEqual({ now: 0, max: 0 });
  });
});

describe('the recording format and name', () => {
  it('prefers Opus in WebM, then Ogg, then whatever the browser has', () => {
    expect(pickRecordingType(() => true)).toBe('audio/webm;codecs=opus');
    expect(pickRecordingType((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
    expect(pickRecordingType((t) => t === 'audio/mp4')).toBe('audio/mp4');
    expect(pickRecordingType(() => false)).toBeUndefined();
    expect(
      pickRecordingType(() => {
        throw new Error('no');
      }),
    ).toBeUndefined();
  });

  it('names the attachment type without parameters, as the contract wants', () => {
    expect(attachmentType('audio/webm;codecs=opus')).toBe('audio/webm');
    expect(attachmentType('Audio/Ogg; codecs=opus')).toBe('audio/ogg');
    expect(attachmentType('')).toBe('audio/webm');
    expect(attachmentType(undefined)).toBe('audio/webm');
    expect(attachmentType('video/webm')).toBe('audio/webm');
    expect(MimeType.safeParse(attachmentType('audio/mp4;codecs=mp4a.40.2')).success).toBe(true);
  });

  it('names the file after the local time, with the format\'s extension', () => {
    const at = new Date(2025, 11, 4, 9, 7, 5);
    expect(voiceNoteName(at, 'audio/webm;codecs=opus')).toBe('voice-note-2025-12-04-090705.webm');
    expect(voiceNoteName(at, 'audio/ogg')).toBe('voice-note-2025-12-04-090705.ogg');
    expect(voiceNoteName(at, 'audio/mp4')).toBe('voice-note-2025-12-04-090705.m4a');
    expect(AttachmentName.safeParse(voiceNoteName(at, 'audio/webm')).success).toBe(true);
  });
});

describe('seeking', () => {
  it('moves 5 s with the arrows, a tenth with Page Up/Down, to the ends with Home/End, within the note', () => {
    expect(seekByKey('ArrowRight', 1_000, 60_000)).toBe(6_000);
    expect(seekByKey('ArrowUp', 58_000, 60_000)).toBe(60_000);
    expect(seekByKey('ArrowLeft', 3_000, 60_000)).toBe(0);
    expect(seekByKey('ArrowDown', 10_000, 60_000)).toBe(5_000);
    expect(seekByKey('PageUp', 0, 120_000)).toBe(12_000);
    expect(seekByKey('PageDown', 0, 120_000)).toBe(0);
    expect(seekByKey('Home', 30_000, 60_000)).toBe(0);
    expect(seekByKey('End', 0, 60_000)).toBe(60_000);
    expect(seekByKey('a', 0, 60_000)).toBeNull();
  });

  it('a click on the waveform seeks to where it landed, clamped to the note', () => {
    expect(seekAt(150, 100, 200, 10_000)).toBe(2_500);
    expect(seekAt(50, 100, 200, 10_000)).toBe(0);
    expect(seekAt(400, 100, 200, 10_000)).toBe(10_000);
    expect(seekAt(150, 100, 0, 10_000)).toBe(0);
  });
});

describe('why the microphone could not be used', () => {
  it('tells refused, missing, busy and unsupported apart, by the error\'s name', () => {
    expect(problemOf(new DOMException('Permission denied', 'NotAllowedError'))).toBe('denied');
    expect(problemOf(new DOMException('', 'SecurityError'))).toBe('denied');
    expect(problemOf(new DOMException('Requested device not found', 'NotFoundError'))).toBe('missing');
    expect(problemOf(new DOMException('Could not start audio source', 'NotReadableError'))).toBe('busy');
    expect(problemOf(new TypeError('getUserMedia is not a function'))).toBe('unsupported');
    expect(problemOf(new Error('something else'))).toBe('failed');
    expect(problemOf('not even an error')).toBe('failed');
  });
});
