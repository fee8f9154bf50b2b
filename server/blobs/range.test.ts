// Download ranges as RFC 9110 reads them: one range served, what cannot be served refused, anything
// else ignored (the whole blob).
import { describe, expect, it } from 'vitest';
import { parseRange } from './range.js';

describe('a Range header', () => {
  it('gives one range: from a position, between two, or the last bytes', () => {
    expect(parseRange('bytes=10-', 100)).toEqual({ kind: 'partial', range: { start: 10, end: 99 } });
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'partial', range: { start: 10, end: 19 } });
    expect(parseRange('bytes=0-0', 100)).toEqual({ kind: 'partial', range: { start: 0, end: 0 } });
    expect(parseRange('bytes=90-1000', 100)).toEqual({ kind: 'partial', range: { start: 90, end: 99 } });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', range: { start: 90, end: 99 } });
    expect(parseRange('bytes=-1000', 100)).toEqual({ kind: 'partial', range: { start: 0, end: 99 } });
  });

  it('past the end cannot be served', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('is ignored when absent, malformed, backwards or several ranges', () => {
    for (const header of [undefined, '', 'bytes=', 'bytes=-', 'items=0-1', 'bytes=5-2', 'bytes=0-1,5-6', 'bytes=a-b']) {
      expect(parseRange(header, 100), String(header)).toEqual({ kind: 'whole' });
    }
  });
});
