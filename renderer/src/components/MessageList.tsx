import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type FlatIndexLocationWithAlign, type ListRange, Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { ChatMessage } from '../../../shared/ipc.js';
import { loadNewer, loadOlder } from '../actions.js';
import type { HistoryWindow } from '../lib/history-window.js';
import { place, type Placement } from '../lib/run-placement.js';
import { useSearch } from '../search-store.js';
import { EMPTY_MESSAGES, useStore } from '../store.js';
import { LOG_PARTS, type LogContext } from './list/log-parts.js';
import { MessageItem } from './MessageItem.js';

/** How long after its opening message is first in view a list counts as placed (see rangeChanged). */
const SETTLE_MS = 300;
/** A message row's usual height (px): the list lays itself out from it before measuring any row. */
const ROW_ESTIMATE = 58;
/** How close to the bottom (px) still counts as "reading the latest". */
const STICK_THRESHOLD = 80;
/**
 * Rendered beyond what is in view (px): rows are there before they scroll in, and paging in more
 * starts about this far before the reader reaches the end of what is held. Each row more is drawn
 * when a conversation opens too: 600 px above cost about 50 ms of its first paint.
 */
const OVERSCAN = { top: 300, bottom: 300 };

interface LogProps {
  conversationId: string;
  label: string;
}

export function MessageList({ conversationId, label }: LogProps) {
  const { t } = useTranslation();
  const messages = useStore((s) => s.messages[conversationId] ?? EMPTY_MESSAGES);
  const paging = useStore((s) => s.history[conversationId]);
  // Kept across renders (React's "state from props" pattern) so that each message keeps its number
  // in the list as pages come and go; a run replaced wholesale starts a new list.
  const [placed, setPlaced] = useState<Placement>(() => place(null, messages));
  const placement = placed.messages === messages ? placed : place(placed, messages);
  if (placement !== placed) setPlaced(placement);
  // A search result or quoted message to open at, once held: the list starts over there, as a list
  // opens at its newest (scrolling a list of rows not measured yet to a far one lands short of it).
  const target = useSearch((s) => (s.target?.conversationId === conversationId ? s.target.messageId : null));
  const [jump, setJump] = useState<{ target: string | null; count: number }>({ target: null, count: 0 });
  if (target !== jump.target && (target === null || messages.some((m) => m.id === target))) {
    setJump({ target, count: target === null ? jump.count : jump.count + 1 });
  }

  if (messages.length === 0) {
    return (
      <div className="messages" role="log" aria-live="polite" aria-relevant="additions" aria-label={label} tabIndex={0}>
        <p className="muted empty-messages">{t('conversation.empty')}</p>
      </div>
    );
  }
  return (
    <VirtualLog
      key={`${conversationId}\n${placement.generation}\n${jump.count}`}
      conversationId={conversationId}
      label={label}
      messages={messages}
      first={placement.first}
      paging={paging}
    />
  );
}

/** Where a new list opens: at the message a search or a quote opened, else at the newest. */
function openingAt(messages: readonly ChatMessage[], target: string | null): FlatIndexLocationWithAlign {
  const index = target === null ? -1 : messages.findIndex((m) => m.id === target);
  return index >= 0 ? { index, align: 'center' } : { index: 'LAST', align: 'end' };
}

function VirtualLog({
  conversationId,
  label,
  messages,
  first,
  paging,
}: LogProps & { messages: readonly ChatMessage[]; first: number; paging: HistoryWindow | undefined }) {
  const isGroup = useStore((s) => s.conversations.some((c) => c.id === conversationId && c.kind === 'group'));
  const target = useSearch((s) => (s.target?.conversationId === conversationId ? s.target.messageId : null));
  const [opening] = useState(() => openingAt(messages, target));
  // The target this list opened at is in view already: it is only marked, not scrolled to again.
  const openedAt = useRef(opening.index === 'LAST' ? null : target);
  const [found, setFound] = useState<string | null>(null);
  const list = useRef<VirtuosoHandle>(null);

  // A search result or quoted message opened here: once its message is held, it is brought into view and marked.
  useEffect(() => {
    if (target === null) return;
    const index = messages.findIndex((m) => m.id === target);
    if (index < 0) return;
    if (openedAt.current !== target) list.current?.scrollToIndex({ index, align: 'center' });
    openedAt.current = null;
    setFound(target);
    useSearch.getState().setTarget(null);
  }, [target, messages]);

  const atBottom = useCallback(
    (bottom: boolean) => {
      const { history, following, setFollowing } = useStore.getState();
      const atEnd = bottom && !history[conversationId]?.hasNewer;
      if (atEnd !== following) setFollowing(atEnd);
    },
    [conversationId],
  );
  // A list opening at a message renders it, then the rows around it, scrolling as it measures them:
  // an end "reached" meanwhile is not the reader's and loads nothing (a page put above a list still
  // placing itself moves the reader far from where it opened). It settles a moment after the
  // message is first in view; an end in view then is loaded as the reader would have it.
  const settled = useRef(false);
  // Shown on the log (data-settled) for whoever waits for it to be placed before scrolling it.
  const [ready, setReady] = useState(false);
  const lastRange = useRef<ListRange | null>(null);
  const openIndex = opening.index === 'LAST' ? messages.length - 1 : opening.index;
  const startReached = useCallback(() => {
    const held = useStore.getState().history[conversationId];
    if (settled.current && held?.hasOlder && !held.loadingOlder && !held.olderFailed) void loadOlder(conversationId);
  }, [conversationId]);
  const endReached = useCallback(() => {
    const held = useStore.getState().history[conversationId];
    if (settled.current && held?.hasNewer && !held.loadingNewer && !held.newerFailed) void loadNewer(conversationId);
  }, [conversationId]);
  const settleTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(settleTimer.current), []);
  const rangeChanged = useCallback(
    (range: ListRange) => {
      // The range counts from firstItemIndex; the opening index from the run's first message.
      lastRange.current = { startIndex: range.startIndex - first, endIndex: range.endIndex - first };
      if (settled.current || settleTimer.current !== undefined) return;
      if (openIndex < lastRange.current.startIndex || openIndex > lastRange.current.endIndex) return;
      settleTimer.current = setTimeout(() => {
        settled.current = true;
        setReady(true);
        const now = lastRange.current;
        if (now && now.startIndex <= 0) startReached();
        if (now && now.endIndex >= messages.length - 1) endReached();
      }, SETTLE_MS);
    },
    [first, openIndex, messages.length, startReached, endReached],
  );
  // New messages are followed by a reader at the newest (or who just sent one), never pulled under one reading back.
  const follow = useCallback((wasAtBottom: boolean) => (useStore.getState().following || wasAtBottom ? 'auto' : false), []);
  const row = useCallback(
    (_index: number, m: ChatMessage) => <MessageItem message={m} showSender={isGroup} found={m.id === found} />,
    [isGroup, found],
  );
  const context: LogContext = { conversationId, paging };
  // The browser's own Home/End go to the ends of the rows measured so far, short of the real ones.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.altKey || e.metaKey || e.shiftKey) return;
    if (e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    list.current?.scrollToIndex(e.key === 'End' ? { index: 'LAST', align: 'end' } : { index: 0, align: 'start' });
  };

  return (
    <Virtuoso<ChatMessage, LogContext>
      ref={list}
      className="messages"
      role="log"
      aria-live={paging?.settling ? 'off' : 'polite'}
      aria-relevant="additions"
      aria-label={label}
      tabIndex={0}
      data-settled={ready || undefined}
      onKeyDown={onKeyDown}
      data={messages}
      firstItemIndex={first}
      initialTopMostItemIndex={opening}
      computeItemKey={(_index, m) => m.id}
      itemContent={row}
      context={context}
      components={LOG_PARTS}
      followOutput={follow}
      atBottomThreshold={STICK_THRESHOLD}
      atBottomStateChange={atBottom}
      startReached={startReached}
      endReached={endReached}
      rangeChanged={rangeChanged}
      increaseViewportBy={OVERSCAN}
      defaultItemHeight={ROW_ESTIMATE}
    />
  );
}
