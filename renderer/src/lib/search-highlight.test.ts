import { describe, expect, it } from 'vitest';
import { excerpt, highlight } from './search-highlight.js';

const marked = (text: string, query: string) =>
  highlight(text, query)
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join('');

describe('search highlight', () => {
  it('marks a word at the start of a word, whatever its case and accents', () => {
    expect(marked('Meet me at the Café Zürich', 'cafe zurich')).toBe('Meet me at the [Café] [Zürich]');
    expect(marked('Lunch? lunchtime! unlunch', 'LUNCH')).toBe('[Lunch]? [lunch]time! unlunch');
  });

  it('marks Chinese and emoji wherever they are', () => {
    expect(marked('我们明天在北京见面，北京见', '北京')).toBe('我们明天在[北京]见面，[北京]见');
    expect(marked('用iPhone拍的', 'iphone')).toBe('用[iPhone]拍的');
    expect(marked('shipped 🚀 today', '🚀')).toBe('shipped [🚀] today');
  });

  it('joins overlapping finds, and leaves text with none as one part', () => {
    expect(marked('tea teapot', 'tea teap')).toBe('[tea] [teap]ot');
    expect(highlight('nothing here', 'absent')).toEqual([{ text: 'nothing here', match: false }]);
    expect(highlight('', 'x')).toEqual([{ text: '', match: false }]);
  });
});

describe('search excerpt', () => {
  it('leaves a short message whole, and cuts a long one so that its find shows', () => {
    expect(excerpt('short one', 'one')).toBe('short one');
    const long = `${'filler words '.repeat(30)}the meeting moved to Friday ${'more filler '.repeat(30)}`;
    const cut = excerpt(long, 'meeting', 80);
    expect(cut).toMatch(/^….*meeting moved to Friday.*…$/);
    expect(cut.length).toBeLessThanOrEqual(82);
    expect(excerpt(`meeting first ${'x'.repeat(200)}`, 'meeting', 50)).toMatch(/^meeting first x+…$/);
  });
});
