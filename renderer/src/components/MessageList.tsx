import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/ipc.js';
import { jumpToLatest, loadNewer, loadOlder } from '../actions.js';
import type { HistoryWindow } from '../lib/history-window.js';
import { firstUnreadOf, lineOf, logLines } from '../lib/log-lines.js';
import { nextRun, type Run } from '../lib/run-generation.js';
import { useSearch } from '../search-store.js';
import { EMPTY_MESSAGES, useStore } from '../store.js';
import { DayLine } from './list/DayLine.js';
import { UnreadLine } from './list/UnreadLine.js';
import { JumpToNewest } from './list/JumpToNewest.js';
import { NewerEnd, OlderEnd, Row } from './list/log-parts.js';
import { MessageItem } from './MessageItem.js';

/** How long after its opening message is first in view a list counts as placed (see the settling effect). */
const SETTLE_MS = 300;
/** A message row's usual height (px): the list lays itself out from it before measuring any row. */
const ROW_ESTIMATE = 58;
/** How close to the bottom (px) still counts as "reading the latest". */
const STICK_THRESHOLD = 80;
/**
 * Rows rendered beyond those in view on either side: they are there before they scroll in, and
 * paging in more starts about this far before the reader reaches the end of what is held. Each
 * row more is drawn when a conversation opens too.
 */
const OVERSCAN = 5;

interface LogProps {
  conversationId: string;
  label: string;
}

export function MessageList({ conversationId, label }: LogProps) {
  const { t } = useTranslation();
  const messages = useStore((s) => s.messages[conversationId] ?? EMPTY_MESSAGES);
  const paging = useStore((s) => s.history[conversationId]);
  // Kept across renders (React's "state from props" pattern): a run replaced wholesale starts a new list.
  const [held, setHeld] = useState<Run>(() => nextRun(null, messages));
  const run = held.messages === messages ? held : nextRun(held, messages);
  if (run !== held) setHeld(run);
  // A search result or quoted message to open at, once held: the list starts over there, as a list
  // opens at its newest (scrolling a list of rows not measured yet to a far one lands short of it).
  const target = useSearch((s) => (s.target?.conversationId === conversationId ? s.target.messageId : null));
  const [jump, setJump] = useState<{ target: string | null; count: number }>({ target: null, count: 0 });
  if (target !== jump.target && (target === null || messages.some((m) => m.id === target))) {
    setJump({ target, count: target === null ? jump.count : jump.count + 1 });
  }

  if (messages.length === 0) {
    // Said only once the history has been read: not for the moment a conversation takes to open.
    return (
      <div className="messages" role="log" aria-live="polite" aria-relevant="additions" aria-label={label} tabIndex={0}>
        {paging && <p className="muted empty-messages">{t('conversation.empty')}</p>}
      </div>
    );
  }
  return (
    <VirtualLog
      key={`${conversationId}\n${run.generation}\n${jump.count}`}
      conversationId={conversationId}
      label={label}
      messages={messages}
      paging={paging}
    />
  );
}


const atBottomOf = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_THRESHOLD;

function VirtualLog({ conversationId, label, messages, paging }: LogProps & { messages: readonly ChatMessage[]; paging: HistoryWindow | undefined }) {
  const isGroup = useStore((s) => s.conversations.some((c) => c.id === conversationId && c.kind === 'group'));
  const target = useSearch((s) => (s.target?.conversationId === conversationId ? s.target.messageId : null));
  // The messages unread when the conversation was opened start under a line of their own.
  const [firstUnread] = useState(() => (target === null ? firstUnreadOf(messages, useStore.getState().unreadAtOpen) : null));
  const moreBefore = paging?.hasOlder ?? false;
  const lines = useMemo(() => logLines(messages, moreBefore, firstUnread), [messages, moreBefore, firstUnread]);
  // Where it opens: the line of the message a search or a quote opened, centered; the line over
  // the unread messages, at the top (at the newest if they all fit); else (null) the newest.
  const [opening] = useState(() => {
    const at = target !== null ? lineOf(lines, target) : firstUnread !== null ? lines.findIndex((l) => l.kind === 'unread') : -1;
    return at >= 0 ? { index: at, align: target !== null ? ('center' as const) : ('start' as const) } : null;
  });
  // The target this list opened at is in view already: it is only marked, not scrolled to again.
  const openedAt = useRef(target);
  const [found, setFound] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const olderEdge = useRef<HTMLDivElement>(null);
  // Where the rows start in the scrolled content (below the older edge), and the room between two:
  // read from the page before the first rows are laid out (both come from the style sheet), then
  // kept as the edge changes with the pages loaded.
  const [layout, setLayout] = useState<{ edge: number; gap: number } | null>(null);
  const ready = layout !== null;

  const keyOf = useCallback((index: number) => lines[index]!.key, [lines]);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: keyOf,
    overscan: OVERSCAN,
    enabled: ready,
    gap: layout?.gap ?? 0,
    scrollMargin: layout?.edge ?? 0,
    // A chat's list: a page put above keeps the message being read in place, and a reader at the
    // newest follows what arrives (or grows) below.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: STICK_THRESHOLD,
    // Where the log already is (see attach): the virtualizer would otherwise scroll it there.
    initialOffset: () => scroller.current?.scrollTop ?? 0,
  });

  useLayoutEffect(() => {
    const edge = olderEdge.current;
    const list = edge?.nextElementSibling;
    if (!edge || !list) return;
    const read = () => {
      const now = { edge: edge.offsetHeight, gap: parseFloat(getComputedStyle(list).rowGap) || 0 };
      setLayout((was) => (was?.edge === now.edge && was.gap === now.gap ? was : now));
    };
    read();
    const observer = new ResizeObserver(read);
    observer.observe(edge);
    return () => observer.disconnect();
  }, []);

  // Opened at its newest, or at the message a search or quote opened.
  useLayoutEffect(() => {
    if (!ready) return;
    if (opening === null) virtualizer.scrollToEnd();
    else virtualizer.scrollToIndex(opening.index, { align: opening.align });
  }, [ready, virtualizer, opening]);
  // At the newest, the log is scrolled to its end once it is as tall as its rows, before the
  // virtualizer reads where it is: it lays out the newest rows at once, and the first frame painted
  // shows them (its own scroll to the end waits for a frame, painted blank). A ref, not an effect:
  // the virtualizer's effects run before this component's.
  const attach = useCallback(
    (el: HTMLDivElement | null) => {
      scroller.current = el;
      if (el && ready && opening === null) el.scrollTop = el.scrollHeight;
    },
    [ready, opening],
  );

  // A search result or quoted message opened here: once its message is held, it is brought into view and marked.
  useEffect(() => {
    if (target === null) return;
    const index = lineOf(lines, target);
    if (index < 0) return;
    if (openedAt.current !== target) virtualizer.scrollToIndex(index, { align: 'center' });
    openedAt.current = null;
    setFound(target);
    useSearch.getState().setTarget(null);
  }, [target, lines, virtualizer]);

  // A message of one's own, sent while reading back, brings the reader to the newest (the list
  // follows by itself only a reader already there).
  const newest = messages[messages.length - 1]!.id;
  const seenNewest = useRef(newest);
  const following = useStore((s) => s.following);
  // Messages that arrived while the reader was back in the history, for the jump button to count.
  const [arrived, setArrived] = useState(0);
  useLayoutEffect(() => {
    if (seenNewest.current === newest) return;
    const was = messages.findIndex((m) => m.id === seenNewest.current);
    seenNewest.current = newest;
    if (useStore.getState().following) {
      if (!virtualizer.isAtEnd(STICK_THRESHOLD)) virtualizer.scrollToEnd();
    } else if (was >= 0) {
      setArrived((n) => n + messages.length - 1 - was);
    }
  }, [newest, messages, virtualizer]);
  if (following && arrived > 0) setArrived(0);
  const jump = () => {
    if (paging?.hasNewer) void jumpToLatest(conversationId);
    else virtualizer.scrollToEnd();
  };

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const { history, following, setFollowing } = useStore.getState();
    const atEnd = atBottomOf(el) && !history[conversationId]?.hasNewer;
    if (atEnd !== following) setFollowing(atEnd);
  };

  // A list opening at a message renders it, then the rows around it, scrolling as it measures them:
  // an end reached meanwhile is not the reader's and loads nothing (a page put above a list still
  // placing itself moves the reader far from where it opened). It settles a moment after the
  // message is first in view; an end in view then is loaded as the reader would have it.
  const [settled, setSettled] = useState(false);
  const openIndex = opening?.index ?? lines.length - 1;
  const inView = virtualizer.range;
  const openInView = inView !== null && openIndex >= inView.startIndex && openIndex <= inView.endIndex;
  const settleTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (settleTimer.current === undefined && openInView) settleTimer.current = setTimeout(() => setSettled(true), SETTLE_MS);
  }, [openInView]);
  useEffect(() => () => clearTimeout(settleTimer.current), []);

  const rows = virtualizer.getVirtualItems();
  const firstDrawn = rows[0]?.index;
  const lastDrawn = rows[rows.length - 1]?.index;
  // An end of the held run drawn (so nearly in view) pages in more; again once a page is in, if
  // the end is still drawn.
  useEffect(() => {
    if (!settled || !paging) return;
    if (firstDrawn === 0 && paging.hasOlder && !paging.loadingOlder && !paging.olderFailed) void loadOlder(conversationId);
    if (lastDrawn === lines.length - 1 && paging.hasNewer && !paging.loadingNewer && !paging.newerFailed) void loadNewer(conversationId);
  }, [settled, paging, firstDrawn, lastDrawn, lines.length, conversationId]);

  // The browser's own Home/End go to the ends of the rows laid out so far, short of the real ones.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.altKey || e.metaKey || e.shiftKey) return;
    if (e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (e.key === 'End') virtualizer.scrollToEnd();
    else virtualizer.scrollToIndex(0, { align: 'start' });
  };

  const total = virtualizer.getTotalSize();
  // Before the virtualizer has its scroll element it lays out no rows: the log is as tall anyway.
  const edge = layout?.edge ?? 0;
  const before = rows.length > 0 ? rows[0]!.start - edge : 0;
  const after = rows.length > 0 ? total - (rows[rows.length - 1]!.end - edge) : ready ? total : 0;
  return (
    <div className="log-frame">
      <div
        ref={attach}
        className="messages"
        role="log"
        aria-live={paging?.settling ? 'off' : 'polite'}
        aria-relevant="additions"
        aria-label={label}
        tabIndex={0}
        data-settled={settled || undefined}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div ref={olderEdge}>
          <OlderEnd conversationId={conversationId} paging={paging} />
        </div>
        <ol className="message-list" style={{ paddingTop: before, paddingBottom: after }}>
          {rows.map((row) => {
            const line = lines[row.index]!;
            return (
              <Row key={row.key} index={row.index} measure={virtualizer.measureElement}>
                {line.kind === 'day' ? (
                  <DayLine at={line.at} />
                ) : line.kind === 'unread' ? (
                  <UnreadLine />
                ) : (
                  <MessageItem message={line.message} showSender={isGroup} found={line.message.id === found} run={line.run} />
                )}
              </Row>
            );
          })}
        </ol>
        <NewerEnd conversationId={conversationId} paging={paging} />
      </div>
      {settled && !following && <JumpToNewest arrived={arrived} onJump={jump} />}
    </div>
  );
}
