// What a person types to subscribe: a topic's name, or its URL as a publisher hands it out
// (https://relay.example/backups, or one of the ntfy stream URLs under it: /json, /sse, /ws, /raw).
import { remoteScheme, remoteTopicKey } from '../../../shared/push-topic-key.js';
import { relayHttpUrl } from '../../../shared/urls.js';
import { normalizeTopic } from './topics.js';

/**
 * `topic` is the key core follows it by: the name on this relay, host/name on another server.
 * `insecure`: another server's topic over plain HTTP, which only a server on this computer may use.
 */
export type TopicInput = { topic: string; host: string | null } | { problem: 'invalid' } | { problem: 'insecure'; host: string };

const STREAM_SUFFIXES = new Set(['json', 'sse', 'ws', 'raw']);

/** `relayUrl` is this account's relay (ws:, wss:, http: or https:); a URL elsewhere is another server's topic. */
export function parseTopicInput(input: string, relayUrl: string): TopicInput {
  const text = input.trim();
  if (!text.includes('/')) {
    const topic = normalizeTopic(text);
    return topic === null ? { problem: 'invalid' } : { topic, host: null };
  }
  const url = parseUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  if (!url) return { problem: 'invalid' };
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const [first, suffix, ...rest] = segments;
  if (first === undefined || rest.length > 0 || (suffix !== undefined && !STREAM_SUFFIXES.has(suffix))) return { problem: 'invalid' };
  const topic = normalizeTopic(decodeURIComponent(first));
  if (topic === null) return { problem: 'invalid' };
  const origin = publishBase(url.href);
  if (origin === null) return { problem: 'invalid' };
  // ws: and http: (wss: and https:) reach the same server; a default port is left out on both sides.
  if (origin === publishBase(relayUrl)) return { topic, host: null };
  if (origin.startsWith('https:') !== (remoteScheme(url.host) === 'https:')) return { problem: 'insecure', host: url.host };
  const key = remoteTopicKey(url.host, topic);
  return key === null ? { problem: 'invalid' } : { topic: key, host: url.host };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** The relay's HTTP address for publishing (shared/urls.ts), from any URL naming it; null for one that names none. */
export function publishBase(relayUrl: string): string | null {
  try {
    return relayHttpUrl(relayUrl);
  } catch {
    return null;
  }
}
