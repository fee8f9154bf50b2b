import { z } from 'zod';
import { WS_PATH } from './protocol.js';

/** The relay's WebSocket URL for a server URL a person typed (http(s) or ws(s), any path). */
export function relaySocketUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`unsupported server URL: ${serverUrl}`);
  url.pathname = WS_PATH;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** The relay's HTTP base URL (no trailing slash) for a server URL. */
export function relayHttpUrl(serverUrl: string): string {
  const url = new URL(relaySocketUrl(serverUrl));
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '';
  return url.toString().replace(/\/$/, '');
}

/**
 * The origin a login signature is bound to: the host (authority) of the relay's URL, lower-cased,
 * without its scheme's default port (80 for ws and http, 443 for wss and https). The client takes
 * it from the URL it connects to, the relay from where it is reached: both through this function,
 * whose WHATWG URL parsing does the lower-casing, the IDNA and the port elision the same way.
 */
export function loginOrigin(url: string): string {
  return new URL(url).host;
}

/**
 * The origin of a request's Host header, as loginOrigin has it; undefined for a missing header or
 * one that is not a bare host[:port] (a path, user info or spaces would be parsed away silently).
 */
export function hostHeaderOrigin(host: string | undefined, secure: boolean): string | undefined {
  if (!host || !/^[^\s/\\?#@]+$/.test(host)) return undefined;
  try {
    return loginOrigin(`${secure ? 'https' : 'http'}://${host}`);
  } catch {
    return undefined;
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** A TCP port from a flag, an environment variable or a config file; 0 lets the OS pick one. */
export const Port = z.coerce.number().int().min(0).max(65535);
