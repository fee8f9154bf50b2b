// Topics followed on other ntfy-compatible servers (ntfy.sh, a self-hosted ntfy, another relay):
// this device reads each one's JSON stream itself (GET <topic>/json?since=<last id>), as ntfy's own
// apps do, and stores what arrives like its own relay's pushes. The account's relay is not involved
// and learns nothing of them; nothing from such a server is trusted beyond what these schemas allow.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { remoteTopic } from '../../shared/push-topic-key.js';
import { PushMessage } from '../../shared/push.js';
import type { PushStore } from '../push-store.js';
import type { Emit } from './events.js';

export interface RemoteTopicTiming {
  /** The first wait before connecting again; it doubles up to maxRetryMs while the server stays away. */
  minRetryMs: number;
  maxRetryMs: number;
  /** A stream silent this long is dead (ntfy says "keepalive" every 45 s): connect again. */
  idleMs: number;
}

const DEFAULT_TIMING: RemoteTopicTiming = { minRetryMs: 1_000, maxRetryMs: 60_000, idleMs: 120_000 };
/** One line of the stream: a message is well under this (4 KiB of text, an attachment's details). */
const MAX_LINE_CHARS = 64 * 1024;
/** Kept for a message that says nothing of it (ntfy's default cache time). */
const DEFAULT_EXPIRES_S = 12 * 3600;

const StreamEvent = z.object({ event: z.string(), id: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/) }).passthrough();

export interface RemoteTopicDeps {
  pushes: Pick<PushStore, 'add' | 'resumePoints'>;
  emit: Emit;
  log: Logger;
  timing?: RemoteTopicTiming;
}

export class RemoteTopics {
  private readonly following = new Map<string, AbortController>();
  private readonly timing: RemoteTopicTiming;
  private closed = false;

  constructor(private readonly d: RemoteTopicDeps) {
    this.timing = d.timing ?? DEFAULT_TIMING;
  }

  /** Follows every remote topic subscribed to (at start). */
  start(): void {
    for (const { topic } of this.d.pushes.resumePoints()) if (remoteTopic(topic)) this.follow(topic);
  }

  follow(key: string): void {
    if (this.closed || this.following.has(key) || !remoteTopic(key)) return;
    const stop = new AbortController();
    this.following.set(key, stop);
    void this.keepFollowing(key, stop.signal);
  }

  stop(key: string): void {
    this.following.get(key)?.abort();
    this.following.delete(key);
  }

  close(): void {
    this.closed = true;
    for (const stop of this.following.values()) stop.abort();
    this.following.clear();
  }

  private async keepFollowing(key: string, signal: AbortSignal): Promise<void> {
    let wait = this.timing.minRetryMs;
    while (!signal.aborted) {
      try {
        await this.read(key, signal, () => (wait = this.timing.minRetryMs));
      } catch (err) {
        if (signal.aborted) return;
        this.d.log.info({ err, topic: key }, 'the stream of a topic on another server broke; connecting again');
      }
      // Stopped while waiting: the loop ends at its check.
      await sleep(wait, undefined, { signal }).catch(() => undefined);
      wait = Math.min(wait * 2, this.timing.maxRetryMs);
    }
  }

  /** One connection: resolves when the server ends the stream, throws when it fails. */
  private async read(key: string, signal: AbortSignal, opened: () => void): Promise<void> {
    const topic = remoteTopic(key)!;
    const after = this.d.pushes.resumePoints().find((p) => p.topic === key)?.after ?? 'all';
    const idle = new AbortController();
    const both = AbortSignal.any([signal, idle.signal]);
    let timer = setTimeout(() => idle.abort(), this.timing.idleMs);
    const alive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), this.timing.idleMs);
    };
    try {
      // redirect 'error': the server named, not one it points to.
      const response = await fetch(`${topic.url}/json?since=${encodeURIComponent(after)}`, { signal: both, redirect: 'error', headers: { Accept: 'application/x-ndjson' } });
      if (!response.ok || !response.body) throw new Error(`${topic.host} answered ${response.status}`);
      opened();
      let pending = '';
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        alive();
        pending += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          this.line(key, topic.host, topic.name, pending.slice(0, newline));
          pending = pending.slice(newline + 1);
        }
        if (pending.length > MAX_LINE_CHARS) throw new Error(`${topic.host} sent a line longer than ${MAX_LINE_CHARS} characters`);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private line(key: string, host: string, name: string, text: string): void {
    if (text.trim() === '') return;
    let event: z.infer<typeof StreamEvent>;
    try {
      event = StreamEvent.parse(JSON.parse(text));
    } catch {
      this.d.log.warn({ topic: key }, 'ignoring an unreadable line from a topic on another server');
      return;
    }
    if (event.event !== 'message') return;
    const time = typeof event.time === 'number' ? event.time : Math.floor(Date.now() / 1000);
    const parsed = PushMessage.safeParse({ expires: time + DEFAULT_EXPIRES_S, ...event, topic: name });
    if (!parsed.success) {
      this.d.log.warn({ topic: key }, 'ignoring a message from another server that is not in ntfy’s format');
      return;
    }
    // Its id is the server's own: kept apart from every other server's, and resumed from as is.
    const item = this.d.pushes.add({ ...parsed.data, id: `${host}/${parsed.data.id}`, topic: key }, parsed.data.id);
    if (item) this.d.emit('push', item);
  }
}
