// The pieces the virtualized conversation log is built from besides the rows: at either end the
// edge of what is held (a button to load more) or a little room, and the row that tells a
// message's <li> how the list measures it.
import { memo, type ReactNode, type RefCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { loadNewer, loadOlder } from '../../actions.js';
import type { HistoryWindow } from '../../lib/history-window.js';
import { RowAttrsContext } from './row-attrs.js';

/**
 * No element of its own: the message's <li> is the row. Its attributes stay the same object while
 * its place does, so a message's memoized line is not drawn again when the list scrolls.
 */
export const Row = memo(function Row({ index, measure, children }: { index: number; measure: RefCallback<HTMLLIElement>; children: ReactNode }) {
  const attrs = useMemo(() => ({ 'data-index': index, ref: measure }), [index, measure]);
  return <RowAttrsContext.Provider value={attrs}>{children}</RowAttrsContext.Provider>;
});

interface EdgeProps {
  conversationId: string;
  paging: HistoryWindow | undefined;
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

function End({ side, conversationId, paging }: EdgeProps & { side: keyof typeof ENDS }) {
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

export const OlderEnd = (props: EdgeProps) => <End side="older" {...props} />;
export const NewerEnd = (props: EdgeProps) => <End side="newer" {...props} />;

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
