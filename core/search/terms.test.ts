import { describe, expect, it } from 'vitest';
import { matchQuery, searchTerms } from './terms.js';

describe('search terms', () => {
  it('gives each CJK character and each emoji a token of its own, and leaves words as they are', () => {
    expect(searchTerms('我们在北京见面').split(/\s+/).filter(Boolean)).toEqual(['我', '们', '在', '北', '京', '见', '面']);
    expect(searchTerms('Café at 8, ok?')).toBe('Café at 8, ok?');
    expect(searchTerms('great👍🏽 work').split(/\s+/).filter(Boolean)).toEqual(['great', 'emoji1f44dx1f3fd', 'work']);
    // A ZWJ family is one emoji; the variation selector does not change what it is.
    expect(searchTerms('👨‍👩‍👧').trim()).toBe('emoji1f468x200dx1f469x200dx1f467');
    expect(searchTerms('❤️').trim()).toBe(searchTerms('❤').trim());
  });

  it('reads full-width forms as their usual ones (NFKC)', () => {
    expect(searchTerms('ＡＢＣ１２３')).toBe('ABC123');
  });

  it('asks for every word, a Latin word as a prefix, a CJK run as a phrase', () => {
    expect(matchQuery('hello 北京')).toBe('"hello"* "北 京"');
    expect(matchQuery('  北京 大学 ')).toBe('"北 京 大 学"');
    expect(matchQuery('👍')).toBe('"emoji1f44d"');
    expect(matchQuery('Zürich, tomorrow!')).toBe('"Zürich"* "tomorrow"*');
  });

  it('quotes every word, so none is read as an operator, and finds nothing to look for in punctuation', () => {
    expect(matchQuery('NOT a OR b NEAR(c)')).toBe('"NOT"* "a"* "OR"* "b"* "NEAR"* "c"*');
    expect(matchQuery('"unbalanced')).toBe('"unbalanced"*');
    expect(matchQuery('  ?! … ')).toBeNull();
    expect(matchQuery('')).toBeNull();
  });
});
