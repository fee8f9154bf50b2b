// A chat message's text, read for the little Markdown people type in chats: **bold**, *italics*,
// `code`, fenced code blocks, [links](https://…), and bare web addresses made clickable. Headings
// and lists are left as typed: in a chat, a line starting with "#" or "-" is meant as written.
// Nothing becomes HTML; only http(s) addresses become links, and no request leaves until a click.
import { parseInline, type Inline } from './markdown.js';
import { httpUrl } from './safe-url.js';

export type ChatBlock = { type: 'text'; children: Inline[] } | { type: 'code'; text: string };

const FENCE = /^ {0,3}```/;
/** A web address in running text; what follows it that reads as punctuation is left outside. */
const BARE_URL = /\bhttps?:\/\/[^\s<>"]+/giu;
const TRAILING = /[.,;:!?'"\]}]/u;

export function parseChatText(source: string): ChatBlock[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ChatBlock[] = [];
  let text: string[] = [];
  let code: string[] | null = null;
  const flushText = () => {
    if (text.length > 0) blocks.push({ type: 'text', children: linkify(withNewlines(parseInline(text.join('\n')))) });
    text = [];
  };
  for (const line of lines) {
    if (FENCE.test(line)) {
      if (code === null) {
        flushText();
        code = [];
      } else {
        blocks.push({ type: 'code', text: code.join('\n') });
        code = null;
      }
    } else if (code !== null) code.push(line);
    else text.push(line);
  }
  // An unclosed fence was not meant as one: its lines are text again.
  if (code !== null) text.push('```', ...code);
  flushText();
  return blocks;
}

/**
 * Line breaks as the newlines they were, in the text around them: the message's element keeps
 * white space as typed, and its text (copied, searched, read out) keeps its lines.
 */
function withNewlines(nodes: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    const next: Inline =
      node.type === 'break' ? { type: 'text', text: '\n' } : node.type === 'strong' || node.type === 'em' ? { ...node, children: withNewlines(node.children) } : node;
    const last = out.at(-1);
    if (next.type === 'text' && last?.type === 'text') last.text += next.text;
    else out.push(next.type === 'text' ? { ...next } : next);
  }
  return out;
}

/** Bare addresses in the text nodes (not inside code or a link already) become links. */
function linkify(nodes: Inline[]): Inline[] {
  return nodes.flatMap((node): Inline[] => {
    if (node.type === 'strong' || node.type === 'em') return [{ ...node, children: linkify(node.children) }];
    if (node.type !== 'text') return [node];
    const out: Inline[] = [];
    let last = 0;
    for (const match of node.text.matchAll(BARE_URL)) {
      const raw = trimAddress(match[0]);
      const href = httpUrl(raw);
      if (!href) continue;
      if (match.index > last) out.push({ type: 'text', text: node.text.slice(last, match.index) });
      out.push({ type: 'link', href, children: [{ type: 'text', text: raw }] });
      last = match.index + raw.length;
    }
    if (last < node.text.length) out.push({ type: 'text', text: node.text.slice(last) });
    return out;
  });
}

/**
 * The address without the punctuation after it: "see https://a.example/x." ends before the dot.
 * A closing bracket the address opened (a Wikipedia title's "(disambiguation)") stays in it.
 */
function trimAddress(url: string): string {
  let end = url.length;
  while (end > 0) {
    const c = url.charAt(end - 1);
    const body = url.slice(0, end);
    const unopened = c === ')' && body.split(')').length > body.split('(').length;
    if (!TRAILING.test(c) && !unopened) break;
    end--;
  }
  return url.slice(0, end);
}

/** The words of a message without its marks, on one line: for a conversation's preview. */
export function chatPlainText(source: string): string {
  const flat = (nodes: readonly Inline[]): string =>
    nodes.map((n) => (n.type === 'text' || n.type === 'code' ? n.text.replace(/\s*\n\s*/g, ' ') : n.type === 'break' ? ' ' : flat(n.children))).join('');
  return parseChatText(source)
    .map((block) => (block.type === 'code' ? block.text.replace(/\s+/g, ' ') : flat(block.children)))
    .join(' ')
    .trim();
}
