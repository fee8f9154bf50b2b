import { describe, expect, it } from 'vitest';
import { parseQuery, toggleHasFile } from './search-query.js';

describe('search query', () => {
  it('takes from:NAME out of the words, wherever it is typed', () => {
    expect(parseQuery('lunch from:Alice tomorrow')).toEqual({ words: 'lunch tomorrow', from: 'alice', hasFile: false });
    expect(parseQuery('from:bob')).toEqual({ words: '', from: 'bob', hasFile: false });
    expect(parseQuery('北京 from:carol')).toEqual({ words: '北京', from: 'carol', hasFile: false });
  });

  it('leaves words alone: a bare from:, or from: inside a word, is looked for as typed', () => {
    expect(parseQuery('from: here')).toEqual({ words: 'from: here', from: null, hasFile: false });
    expect(parseQuery('datafrom:x')).toEqual({ words: 'datafrom:x', from: null, hasFile: false });
    expect(parseQuery('  plain words ')).toEqual({ words: 'plain words', from: null, hasFile: false });
  });

  it('takes has:file (or has:attachment) out of the words as the files filter; not has:filet or hasfile', () => {
    expect(parseQuery('report has:file')).toEqual({ words: 'report', from: null, hasFile: true });
    expect(parseQuery('HAS:Attachments from:bob 照片')).toEqual({ words: '照片', from: 'bob', hasFile: true });
    expect(parseQuery('has:file')).toEqual({ words: '', from: null, hasFile: true });
    expect(parseQuery('has:filet hasfile')).toEqual({ words: 'has:filet hasfile', from: null, hasFile: false });
  });

  it('toggles the files filter: added at the end, taken away wherever it is', () => {
    expect(toggleHasFile('report')).toBe('report has:file');
    expect(toggleHasFile('')).toBe('has:file');
    expect(toggleHasFile('report has:file')).toBe('report');
    expect(toggleHasFile('has:attachment report from:bob')).toBe('report from:bob');
  });
});
