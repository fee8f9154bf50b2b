import { type UIEvent, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadNewer, loadOlder } from '../actions.js';
import type { HistoryWindow } from '../lib/history-window.js';
import { useSearch } from '../search-store.js';
import { EMPTY_MESSAGES, useStore } from '../store.js';
import { MessageItem } from './MessageItem.js';

/** How close to the bottom (px) still counts as "reading the latest". */
const STICK_THRESHOLD = 80;
/** How close to either end of what is held (px) pages in more, before the reader gets there. */
const PAGE_THRESHOLD = 300;

/** A message element on screen, and where it sits in the scrolled content (px from its top). */
interface Anchor {
  id: string;
  top: number;
}

function contentTop(scroller: HTMLElement, node: Element): number {
  return node.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
}

/** The first message at least partly in view: the one the reader is looking at. */
function firstVisible(scroller: HTMLElement): Anchor | null {
  const items = scroller.querySelector('.message-list')?.children;
  if (!items || items.length === 0) return null;
  const viewTop = scroller.getBoundingClientRect().top;
  let lo = 0;
  let hi = items.length - 1;
  let found = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid] as Element).getBoundingClientRect().bottom > viewTop) {
      found = mid;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  const item = items[found] as HTMLElement;
  const id = item.dataset.messageId;
  return id === undefined ? null : { id, top: contentTop(scroller, item) };
}

export function MessageList({ conversationId, label }: { conversationId: string; label: string }) {
  const { t } = useTranslation();
  const messages = useStore((s) => s.messages[conversationId] ?? EMPTY_MESSAGES);
  const paging: HistoryWindow | undefined = useStore((s) => s.history[conversationId]);
  const isGroup = useStore((s) => s.conversations.some((c) => c.id === conversationId && c.kind === 'group'));
  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef<Anchor | null>(null);
  const target = useSearch((s) => (s.target?.conversationId === conversationId ? s.target.messageId : null));
  const [found, setFound] = useState<string | null>(null);

  // After every change: at the newest messages (or just sent one), follow them; otherwise keep the
  // message the reader is looking at where it is, whatever was added or let go above it.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // A search result opened here: once its message is on the page, it is brought into view and marked.
    const targetNode = target ? el.querySelector(`[data-message-id="${CSS.escape(target)}"]`) : null;
    if (target && targetNode) {
      targetNode.scrollIntoView({ block: 'center' });
      anchor.current = { id: target, top: contentTop(el, targetNode) };
      setFound(target);
      useSearch.getState().setTarget(null);
      return;
    }
    if (useStore.getState().following) {
      el.scrollTop = el.scrollHeight;
      return;
    }
    const current = anchor.current;
    if (!current) return;
    const node = el.querySelector(`[data-message-id="${CSS.escape(current.id)}"]`);
    if (!node) {
      anchor.current = firstVisible(el);
      return;
    }
    const top = contentTop(el, node);
    if (top !== current.top) el.scrollTop += top - current.top;
    anchor.current = { id: current.id, top };
  });

  function onScroll(e: UIEvent<HTMLDivElement>) {
    const el = e.currentTarget;
    const { history, following, setFollowing } = useStore.getState();
    const held = history[conversationId];
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    const atEnd = fromBottom < STICK_THRESHOLD && !held?.hasNewer;
    if (atEnd !== following) setFollowing(atEnd);
    anchor.current = atEnd ? null : firstVisible(el);
    if (!held) return;
    if (el.scrollTop < PAGE_THRESHOLD && held.hasOlder && !held.loadingOlder && !held.olderFailed) {
      void loadOlder(conversationId);
    }
    if (fromBottom < PAGE_THRESHOLD && held.hasNewer && !held.loadingNewer && !held.newerFailed) {
      void loadNewer(conversationId);
    }
  }

  return (
    <div
      ref={scroller}
      className="messages"
      role="log"
      aria-live={paging?.settling ? 'off' : 'polite'}
      aria-relevant="additions"
      aria-label={label}
      tabIndex={0}
      onScroll={onScroll}
    >
      {messages.length === 0 ? (
        <p className="muted empty-messages">{t('conversation.empty')}</p>
      ) : (
        <>
          {paging?.hasOlder && (
            <HistoryEdge
              label={paging.loadingOlder ? t('conversation.loadingEarlier') : t('conversation.loadEarlier')}
              busy={paging.loadingOlder}
              error={paging.olderFailed ? t('conversation.loadEarlierFailed') : null}
              onLoad={() => void loadOlder(conversationId)}
            />
          )}
          <ol className="message-list">
            {messages.map((m) => (
              <MessageItem key={m.id} message={m} showSender={isGroup} found={m.id === found} />
            ))}
          </ol>
          {paging?.hasNewer && (
            <HistoryEdge
              label={paging.loadingNewer ? t('conversation.loadingNewer') : t('conversation.loadNewer')}
              busy={paging.loadingNewer}
              error={paging.newerFailed ? t('conversation.loadNewerFailed') : null}
              onLoad={() => void loadNewer(conversationId)}
            />
          )}
        </>
      )}
    </div>
  );
}

/**
 * Where the held messages end and more exist: a button for keyboard users (scrolling there loads
 * them too). It stays enabled while loading so focus is not lost; a second press does nothing.
 */
function HistoryEdge({ label, busy, error, onLoad }: { label: string; busy: boolean; error: string | null; onLoad: () => void }) {
  return (
    <div className="history-edge">
      <button type="button" className="small" aria-disabled={busy || undefined} onClick={busy ? undefined : onLoad}>
        {label}
      </button>
      {error && <p className="history-edge-error">{error}</p>}
    </div>
  );
}
