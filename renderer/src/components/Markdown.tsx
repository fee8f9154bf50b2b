import { useMemo, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from '../../../shared/markdown.js';

/**
 * A push message written in Markdown, as React elements: text stays text (React escapes it), and the
 * only links are the http(s) ones the reader found, opened in the browser, never in the app.
 */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div className={className ? `markdown ${className}` : 'markdown'}>{blocks.map(renderBlock)}</div>;
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.type) {
    case 'paragraph':
      return <p key={key}>{renderInline(block.children)}</p>;
    case 'heading':
      // Not a heading element: a message must not reshape the page's outline.
      return (
        <p key={key} className="markdown-heading">
          <strong>{renderInline(block.children)}</strong>
        </p>
      );
    case 'code':
      return (
        <pre key={key}>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{renderInline(item)}</li>);
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
  }
}

/**
 * Inline tokens as React elements; `text` draws the plain text (a chat marks its @mentions there).
 * Also a chat message's renderer (MessageText).
 */
export function renderInline(nodes: readonly Inline[], text: (text: string, key: number) => ReactNode = (t) => t): ReactNode[] {
  return nodes.map((node, key) => {
    switch (node.type) {
      case 'text':
        return text(node.text, key);
      case 'break':
        return <br key={key} />;
      case 'code':
        return <code key={key}>{node.text}</code>;
      case 'strong':
        return <strong key={key}>{renderInline(node.children, text)}</strong>;
      case 'em':
        return <em key={key}>{renderInline(node.children, text)}</em>;
      case 'link':
        return <WebLink key={key} href={node.href} label={renderInline(node.children)} />;
    }
  });
}

/** The address shows beside the words, so "your bank" cannot hide where it leads. */
function WebLink({ href, label }: { href: string; label: ReactNode[] }) {
  const labelIsAddress = label.length === 1 && typeof label[0] === 'string' && new Set([href, href.replace(/\/$/, '')]).has(label[0]);
  return (
    <>
      <a href={href} target="_blank" rel="noopener noreferrer">
        {label}
      </a>
      {!labelIsAddress && <span className="markdown-link-url"> ({href})</span>}
    </>
  );
}
