// The pieces the virtualized conversation log is built from: an <ol> of the messages' own <li>s,
// and at either end the edge of what is held (a button to load more) or a little room.
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Components, ContextProp, ItemProps, ListProps } from 'react-virtuoso';
import type { ChatMessage } from '../../../../shared/ipc.js';
import { loadNewer, loadOlder } from '../../actions.js';
import type { HistoryWindow } from '../../lib/history-window.js';
import { RowAttrsContext } from './row-attrs.js';

export interface LogContext {
  conversationId: string;
  paging: HistoryWindow | undefined;
}

function MessageRows({ ref, style, children }: ListProps & ContextProp<LogContext>) {
  return (
    <ol ref={ref as Ref<HTMLOListElement>} style={style} className="message-list">
      {children}
    </ol>
  );
}

/** No element of its own: the message's <li> is the row, and carries what the list measures it by. */
function Row({ children, item: _item, context: _context, ...attrs }: ItemProps<ChatMessage> & ContextProp<LogContext>) {
  return <RowAttrsContext.Provider value={attrs}>{children}</RowAttrsContext.Provider>;
}

/** Each end of the held run: what says there is more, what it is called, how it is paged in. */
const ENDS = {
  older: {
    more: (w: HistoryWindow) => w.hasOlder,
    loading: (w: HistoryWindow) => w.loadingOlder,
    failed: (w: HistoryWindow) => w.olderFailed,
    load: loadOlder,
    keys: ['conversation.loadEarlier', 'conversation.loadingEarlier', 'conversation.loadEarlierFailed'],
  },
  newer: {
    more: (w: HistoryWindow) => w.hasNewer,
    loading: (w: HistoryWindow) => w.loadingNewer,
    failed: (w: HistoryWindow) => w.newerFailed,
    load: loadNewer,
    keys: ['conversation.loadNewer', 'conversation.loadingNewer', 'conversation.loadNewerFailed'],
  },
} as const;

function End({ side, context: { conversationId, paging } }: ContextProp<LogContext> & { side: keyof typeof ENDS }) {
  const { t } = useTranslation();
  const end = ENDS[side];
  if (!paging || !end.more(paging)) return <div className="history-end" />;
  const [load, loading, failed] = end.keys;
  const busy = end.loading(paging);
  return (
    <HistoryEdge
      side={side}
      label={t(busy ? loading : load)}
      busy={busy}
      error={end.failed(paging) ? t(failed) : null}
      onLoad={() => void end.load(conversationId)}
    />
  );
}

const OlderEnd = (props: ContextProp<LogContext>) => <End side="older" {...props} />;
const NewerEnd = (props: ContextProp<LogContext>) => <End side="newer" {...props} />;

/**
 * Where the held messages end and more exist: a button for keyboard users (scrolling there loads
 * them too). It stays enabled while loading so focus is not lost; a second press does nothing.
 */
function HistoryEdge({ side, label, busy, error, onLoad }: { side: keyof typeof ENDS; label: string; busy: boolean; error: string | null; onLoad: () => void }) {
  return (
    <div className="history-edge" data-edge={side}>
      <button type="button" className="small" aria-disabled={busy || undefined} onClick={busy ? undefined : onLoad}>
        {label}
      </button>
      {error && <p className="history-edge-error">{error}</p>}
    </div>
  );
}

/** One object for every render: a new component type would remount the rows and lose focus. */
export const LOG_PARTS: Components<ChatMessage, LogContext> = {
  List: MessageRows,
  Item: Row,
  Header: OlderEnd,
  Footer: NewerEnd,
};
