import { describe, expect, it } from 'vitest';
import { mentions, mentionsOf, splitMentions } from './mentions.js';

describe('mentions', () => {
  it('finds @name at the start, after spaces or punctuation, in any case, once each', () => {
    expect(mentionsOf('@Carol can you and @bob.smith look? cc @carol')).toEqual(['carol', 'bob.smith']);
    expect(mentionsOf('（@carol）看一下')).toEqual(['carol']);
    expect(mentions('thanks @carol.', 'carol')).toBe(true);
  });

  it('is not an e-mail address, a lone @, or a name too short', () => {
    expect(mentionsOf('write to carol@example.com or @ or @a')).toEqual([]);
  });

  it('splits the text around the mentions, keeping every character', () => {
    const text = 'hi @Carol, and @dave.';
    const pieces = splitMentions(text);
    expect(pieces).toEqual([{ text: 'hi ' }, { text: '@Carol', mention: 'carol' }, { text: ', and ' }, { text: '@dave', mention: 'dave' }, { text: '.' }]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
  });
});
