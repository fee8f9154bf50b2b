import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, type Inline } from './markdown.js';

function textOf(nodes: readonly Inline[]): string {
  return nodes.map((n) => (n.type === 'text' || n.type === 'code' ? n.text : n.type === 'break' ? '\n' : textOf(n.children))).join('');
}

describe('inline Markdown in a push', () => {
  it('reads bold, italic and code spans', () => {
    expect(parseInline('**disk** at *95%* on `db-1`')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'disk' }] },
      { type: 'text', text: ' at ' },
      { type: 'em', children: [{ type: 'text', text: '95%' }] },
      { type: 'text', text: ' on ' },
      { type: 'code', text: 'db-1' },
    ]);
    expect(parseInline('__also bold__ and _also italic_')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'also bold' }] },
      { type: 'text', text: ' and ' },
      { type: 'em', children: [{ type: 'text', text: 'also italic' }] },
    ]);
  });

  it('nests emphasis', () => {
    expect(parseInline('*a **b** c*')).toEqual([
      {
        type: 'em',
        children: [
          { type: 'text', text: 'a ' },
          { type: 'strong', children: [{ type: 'text', text: 'b' }] },
          { type: 'text', text: ' c' },
        ],
      },
    ]);
  });

  it('leaves what is not markup as written', () => {
    expect(parseInline('backup_job_name and 2 * 3 * 4')).toEqual([{ type: 'text', text: 'backup_job_name and 2 * 3 * 4' }]);
    expect(parseInline('**never closed')).toEqual([{ type: 'text', text: '**never closed' }]);
    expect(parseInline('\\*not italic\\*')).toEqual([{ type: 'text', text: '*not italic*' }]);
    expect(parseInline('a `code with **stars**` span')).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'code', text: 'code with **stars**' },
      { type: 'text', text: ' span' },
    ]);
  });

  it('keeps HTML as text', () => {
    expect(parseInline('<img src=x onerror=alert(1)> <b>hi</b>')).toEqual([
      { type: 'text', text: '<img src=x onerror=alert(1)> <b>hi</b>' },
    ]);
  });

  it('makes links of http(s) addresses only', () => {
    expect(parseInline('see [the log](https://ci.example.org/run/7)')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', href: 'https://ci.example.org/run/7', children: [{ type: 'text', text: 'the log' }] },
    ]);
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', '/settings', 'http:example.org']) {
      expect(parseInline(`[click](${url})`)).toEqual([{ type: 'text', text: `[click](${url})` }]);
    }
  });

  it('does not put a link inside a link', () => {
    expect(parseInline('[[inner](https://a.example)](https://b.example)')).toEqual([
      { type: 'text', text: '[' },
      { type: 'link', href: 'https://a.example/', children: [{ type: 'text', text: 'inner' }] },
      { type: 'text', text: '](https://b.example)' },
    ]);
    expect(parseInline('[a [b](https://x.example) c](https://y.example)').some((n) => n.type === 'link')).toBe(true);
  });

  it('turns line breaks into break tokens', () => {
    expect(parseInline('one\ntwo')).toEqual([{ type: 'text', text: 'one' }, { type: 'break' }, { type: 'text', text: 'two' }]);
  });

  it('stops nesting at a bounded depth, showing the rest as written', () => {
    const deep = '*'.repeat(40) + 'x' + '*'.repeat(40);
    expect(textOf(parseInline(deep))).toContain('x');
  });
});

describe('Markdown blocks in a push', () => {
  it('splits paragraphs on blank lines and keeps line breaks inside them', () => {
    expect(parseMarkdown('first\nline\n\nsecond')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'first' }, { type: 'break' }, { type: 'text', text: 'line' }] },
      { type: 'paragraph', children: [{ type: 'text', text: 'second' }] },
    ]);
  });

  it('keeps a fenced code block verbatim, markup and HTML included', () => {
    expect(parseMarkdown('```sh\nrm -rf **/tmp <script>\n```\nafter')).toEqual([
      { type: 'code', text: 'rm -rf **/tmp <script>' },
      { type: 'paragraph', children: [{ type: 'text', text: 'after' }] },
    ]);
    expect(parseMarkdown('```\nnever closed')).toEqual([{ type: 'code', text: 'never closed' }]);
  });

  it('reads headings and lists', () => {
    expect(parseMarkdown('## Report ##\n- one\n- **two**\n  more\n1. first\n2) second')).toEqual([
      { type: 'heading', children: [{ type: 'text', text: 'Report' }] },
      {
        type: 'list',
        ordered: false,
        items: [
          [{ type: 'text', text: 'one' }],
          [{ type: 'strong', children: [{ type: 'text', text: 'two' }] }, { type: 'break' }, { type: 'text', text: 'more' }],
        ],
      },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'first' }], [{ type: 'text', text: 'second' }]] },
    ]);
  });

  it('reads Windows line endings, and nothing as nothing', () => {
    expect(parseMarkdown('a\r\nb')).toEqual(parseMarkdown('a\nb'));
    expect(parseMarkdown('')).toEqual([]);
    expect(parseMarkdown('\n\n')).toEqual([]);
  });
});
