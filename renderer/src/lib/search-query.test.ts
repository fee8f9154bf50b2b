import { describe, expect, it } from 'vitest';
import { parseQuery } from './search-query.js';

describe('search query', () => {
  it('takes from:NAME out of the words, wherever it is typed', () => {
    expect(parseQuery('lunch from:Alice tomorrow')).toEqual({ words: 'lunch tomorrow', from: 'alice' });
    expect(parseQuery('from:bob')).toEqual({ words: '', from: 'bob' });
    expect(parseQuery('北京 from:carol')).toEqual({ words: '北京', from: 'carol' });
  });

  it('leaves words alone: a bare from:, or from: inside a word, is looked for as typed', () => {
    expect(parseQuery('from: here')).toEqual({ words: 'from: here', from: null });
    expect(parseQuery('datafrom:x')).toEqual({ words: 'datafrom:x', from: null });
    expect(parseQuery('  plain words ')).toEqual({ words: 'plain words', from: null });
  });
});
