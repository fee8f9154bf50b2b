import { Fragment, useId } from 'react';
import { useConversationTitle } from '../hooks/useConversationTitle.js';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../shared/ipc.js';
import { formatFullTime, formatMessageTime } from '../format.js';
import { excerpt, highlight } from '../lib/search-highlight.js';
import { parseQuery } from '../lib/search-query.js';
import { openResult } from '../search-actions.js';
import { useSearch } from '../search-store.js';
import { useStore } from '../store.js';

/** In place of the conversation list while something is typed: the found messages by conversation, best first. */
export function SearchResults() {
  const { t } = useTranslation();
  const hits = useSearch((s) => s.hits);
  const error = useSearch((s) => s.error);
  const words = useSearch((s) => parseQuery(s.query).words);
  const id = useId();

  let body;
  if (error !== null) {
    body = <p role="alert">{error}</p>;
  } else if (hits === null) {
    body = <p className="muted">{t('search.searching')}</p>;
  } else if (hits.length === 0) {
    body = <p className="muted">{t('search.none')}</p>;
  } else {
    body = byConversation(hits).map(([conversation, group]) => <ResultGroup key={conversation} conversation={conversation} hits={group} words={words} />);
  }
  return (
    <nav className="search-results" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="visually-hidden">
        {t('search.results')}
      </h2>
      <div aria-live="polite">{body}</div>
      <p className="search-hint muted">{t('search.hint')}</p>
    </nav>
  );
}

/** The hits in groups, one per conversation, in the order of each one's best hit. */
function byConversation(hits: SearchHit[]): [string, SearchHit[]][] {
  const groups = new Map<string, SearchHit[]>();
  for (const hit of hits) groups.set(hit.conversation, [...(groups.get(hit.conversation) ?? []), hit]);
  return [...groups];
}

function ResultGroup({ conversation, hits, words }: { conversation: string; hits: SearchHit[]; words: string }) {
  const found = useStore((s) => s.conversations.find((c) => c.id === conversation));
  const titleOf = useConversationTitle();
  const title = found ? titleOf(found) : conversation;
  const id = useId();
  return (
    <section className="search-group" aria-labelledby={id}>
      <h3 id={id} className="search-group-title">
        {title}
      </h3>
      <ul className="search-hits">
        {hits.map((hit) => (
          <li key={hit.id}>
            <ResultItem hit={hit} words={words} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `words`: what the search looked for (without `from:`), marked in the text. */
function ResultItem({ hit, words }: { hit: SearchHit; words: string }) {
  const { t, i18n } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const inGroup = useStore((s) => s.conversations.some((c) => c.id === hit.conversation && c.kind === 'group'));
  const at = hit.serverTime ?? hit.sentAt;
  // In a direct conversation the other person is its title: only what this account wrote says so.
  const from = hit.from === me ? t('search.you') : inGroup ? hit.from : '';
  return (
    <button type="button" className={from ? 'search-hit with-from' : 'search-hit'} onClick={() => void openResult(hit)}>
      {from && <span className="search-hit-from">{from}</span>}
      <time className="search-hit-time" dateTime={new Date(at).toISOString()} title={formatFullTime(at, i18n.language)}>
        {formatMessageTime(at, i18n.language)}
      </time>
      <span className="search-hit-text">
        {highlight(excerpt(hit.text, words), words).map((part, i) =>
          part.match ? <mark key={i}>{part.text}</mark> : <Fragment key={i}>{part.text}</Fragment>,
        )}
      </span>
    </button>
  );
}
