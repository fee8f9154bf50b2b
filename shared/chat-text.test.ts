import { describe, expect, it } from 'vitest';
import { chatPlainText, parseChatText } from './chat-text.js';

describe('a chat message read for Markdown', () => {
  it('marks bold, italics and code, and keeps plain text as typed', () => {
    expect(parseChatText('I will bring **coffee** and the `map`, *promise*')).toEqual([
      {
        type: 'text',
        children: [
          { type: 'text', text: 'I will bring ' },
          { type: 'strong', children: [{ type: 'text', text: 'coffee' }] },
          { type: 'text', text: ' and the ' },
          { type: 'code', text: 'map' },
          { type: 'text', text: ', ' },
          { type: 'em', children: [{ type: 'text', text: 'promise' }] },
        ],
      },
    ]);
    expect(parseChatText('# not a heading\n- not a list')).toEqual([
      { type: 'text', children: [{ type: 'text', text: '# not a heading\n- not a list' }] },
    ]);
  });

  it('makes bare web addresses links, without the punctuation after them', () => {
    const [block] = parseChatText('see https://example.org/a?b=1. and (https://en.wikipedia.org/wiki/Mercury_(planet)) too');
    expect(block).toEqual({
      type: 'text',
      children: [
        { type: 'text', text: 'see ' },
        { type: 'link', href: 'https://example.org/a?b=1', children: [{ type: 'text', text: 'https://example.org/a?b=1' }] },
        { type: 'text', text: '. and (' },
        {
          type: 'link',
          href: 'https://en.wikipedia.org/wiki/Mercury_(planet)',
          children: [{ type: 'text', text: 'https://en.wikipedia.org/wiki/Mercury_(planet)' }],
        },
        { type: 'text', text: ') too' },
      ],
    });
  });

  it('never links anything but http(s), and not inside code', () => {
    const [block] = parseChatText('[click](javascript:alert(1)) `https://example.org` ftp://example.org');
    expect(JSON.stringify(block)).not.toContain('"link"');
  });

  it('keeps a fenced block as code, and an unclosed fence as text', () => {
    expect(parseChatText('before\n```\nconst a = 1;\n  **not bold**\n```\nafter')).toEqual([
      { type: 'text', children: [{ type: 'text', text: 'before' }] },
      { type: 'code', text: 'const a = 1;\n  **not bold**' },
      { type: 'text', children: [{ type: 'text', text: 'after' }] },
    ]);
    expect(parseChatText('```\nno end')).toEqual([{ type: 'text', children: [{ type: 'text', text: '```\nno end' }] }]);
  });

  it('gives the words alone, on one line, for a preview', () => {
    expect(chatPlainText('I will bring **coffee** and the `map`\nsee [the route](https://example.org/r)')).toBe('I will bring coffee and the map see the route');
    expect(chatPlainText('```\nls -la\n```')).toBe('ls -la');
  });
});
