// A push topic is named by its key: a bare name for a topic on this account's own relay, or
// "host[:port]/name" for one followed on another ntfy-compatible server (ntfy.sh, a self-hosted
// ntfy, another Warbler relay).
import { isLoopbackHost } from './urls.js';

const NAME = '[-_A-Za-z0-9]{1,64}';
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST = `(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])(?::\\d{1,5})?`;

/** A topic on this account's relay. */
export const LOCAL_TOPIC_PATTERN = new RegExp(`^${NAME}$`);
/** Either kind of key. */
export const TOPIC_KEY_PATTERN = new RegExp(`^(?:${HOST}/)?${NAME}$`);

export interface RemoteTopic {
  /** As in the key: lower case, with a port only when it is not the scheme's default. */
  host: string;
  name: string;
  /** The topic's URL: https, except on a loopback address, where a test or a local server speaks plain HTTP. */
  url: string;
}

/** The scheme a remote topic's server is reached with, from its host. */
export function remoteScheme(host: string): 'http:' | 'https:' {
  const hostname = host.replace(/:\d+$/, '');
  return isLoopbackHost(hostname) ? 'http:' : 'https:';
}

/** The parts of a key for a topic on another server; null for a topic of this relay, or no key at all. */
export function remoteTopic(key: string): RemoteTopic | null {
  if (!TOPIC_KEY_PATTERN.test(key)) return null;
  const slash = key.lastIndexOf('/');
  if (slash < 0) return null;
  const host = key.slice(0, slash);
  const name = key.slice(slash + 1);
  return { host, name, url: `${remoteScheme(host)}//${host}/${name}` };
}

/** The key of a topic on another server, from its URL's host (as URL.host writes it) and its name. */
export function remoteTopicKey(host: string, name: string): string | null {
  const key = `${host.toLowerCase()}/${name}`;
  return remoteTopic(key) ? key : null;
}
