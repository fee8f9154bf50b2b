// A small Markdown reader for push messages: paragraphs, headings, lists, code, bold, italic and
// links, as tokens that the UI turns into React elements. Nothing here produces HTML: raw HTML in a
// message is text like any other, and only http(s) links become links.
import { httpUrl } from './safe-url.js';

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const BULLET = /^ {0,3}[-*+]\s+(.*)$/;
const ORDERED = /^ {0,3}\d{1,9}[.)]\s+(.*)$/;
const ESCAPABLE = /[\\`*_[\]()#+\-.!~>|{}]/;
/** Emphasis nested deeper than this is shown as written: a message cannot make the reader recurse far. */
const MAX_DEPTH = 8;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;

  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ type: 'list', ordered: list.ordered, items: list.items.map((item) => parseInline(item)) });
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      flushParagraph();
      flushList();
      const body: string[] = [];
      for (i++; i < lines.length; i++) {
        const inner = lines[i] ?? '';
        if (inner.trimStart().startsWith(fence)) break;
        body.push(inner);
      }
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      blocks.push({ type: 'heading', children: parseInline(heading[1] ?? '') });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    const item = bullet ?? ordered;
    if (item) {
      flushParagraph();
      const isOrdered = ordered !== null;
      if (list && list.ordered !== isOrdered) flushList();
      list ??= { ordered: isOrdered, items: [] };
      list.items.push(item[1] ?? '');
      continue;
    }
    if (list && /^\s/.test(line)) {
      // An indented line goes on with the item above it.
      const last = list.items.length - 1;
      list.items[last] = `${list.items[last] ?? ''}\n${line.trim()}`;
      continue;
    }
    flushList();
    paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return blocks;
}

export function parseInline(text: string): Inline[] {
  return inline(text, 0, true);
}

function inline(text: string, depth: number, links: boolean): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const flush = () => {
    pushText(out, buffer);
    buffer = '';
  };

  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.test(text.charAt(i + 1))) {
      buffer += text.charAt(i + 1);
      i += 2;
      continue;
    }
    if (c === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const close = findBacktickRun(text, run, i + run);
      if (close !== -1) {
        flush();
        out.push({ type: 'code', text: text.slice(i + run, close).replace(/\n/g, ' ') });
        i = close + run;
      } else {
        buffer += text.slice(i, i + run);
        i += run;
      }
      continue;
    }
    if ((c === '*' || c === '_') && depth < MAX_DEPTH) {
      const delimiter = text[i + 1] === c ? c + c : c;
      const close = canOpen(text, i, delimiter) ? findClose(text, delimiter, i + delimiter.length) : -1;
      if (close !== -1) {
        flush();
        const children = inline(text.slice(i + delimiter.length, close), depth + 1, links);
        out.push({ type: delimiter.length === 2 ? 'strong' : 'em', children });
        i = close + delimiter.length;
      } else {
        buffer += delimiter;
        i += delimiter.length;
      }
      continue;
    }
    if (c === '[' && links && depth < MAX_DEPTH) {
      const link = matchLink(text, i);
      if (link) {
        const href = httpUrl(link.url);
        if (href) {
          flush();
          out.push({ type: 'link', href, children: inline(link.label, depth + 1, false) });
        } else {
          // Not a web address (javascript:, data:, a path in the app): shown as written, inert.
          buffer += text.slice(i, link.end);
        }
        i = link.end;
        continue;
      }
    }
    buffer += c;
    i++;
  }
  flush();
  return out;
}

/** Text, with its line breaks as tokens of their own; joined to text just before it. */
function pushText(out: Inline[], text: string): void {
  text.split('\n').forEach((part, index) => {
    if (index > 0) out.push({ type: 'break' });
    if (part === '') return;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text += part;
    else out.push({ type: 'text', text: part });
  });
}

function findBacktickRun(text: string, run: number, from: number): number {
  for (let j = text.indexOf('`', from); j !== -1; j = text.indexOf('`', j)) {
    let length = 0;
    while (text[j + length] === '`') length++;
    if (length === run) return j;
    j += length;
  }
  return -1;
}

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

function canOpen(text: string, at: number, delimiter: string): boolean {
  if (isSpace(text[at + delimiter.length])) return false;
  // snake_case_names stay as written.
  return delimiter[0] !== '_' || !isWordChar(text[at - 1]);
}

function findClose(text: string, delimiter: string, from: number): number {
  const c = delimiter[0];
  for (let j = text.indexOf(delimiter, from + 1); j !== -1; j = text.indexOf(delimiter, j + 1)) {
    if (text[j - 1] === '\\' || isSpace(text[j - 1])) continue;
    // A single delimiter is not half of a double one.
    if (delimiter.length === 1 && (text[j + 1] === c || text[j - 1] === c)) continue;
    if (c === '_' && isWordChar(text[j + delimiter.length])) continue;
    return j;
  }
  return -1;
}

function matchLink(text: string, at: number): { label: string; url: string; end: number } | null {
  const close = text.indexOf(']', at + 1);
  if (close === -1 || text[close + 1] !== '(') return null;
  const label = text.slice(at + 1, close);
  if (label.includes('[')) return null;
  const end = text.indexOf(')', close + 2);
  if (end === -1) return null;
  let url = text.slice(close + 2, end).trim();
  if (url.startsWith('<') && url.endsWith('>')) url = url.slice(1, -1);
  if (url === '' || /\s/.test(url)) return null;
  return { label, url, end: end + 1 };
}
