// The ntfy-compatible HTTP API: publish with PUT/POST /<topic> (or GET /<topic>/publish, or POST /
// with JSON), subscribe with /<topics>/json, /sse or /raw (streams, or poll=1), since= and filters.
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PushHub } from './hub.js';
import type { PushCache, PushSince } from '../storage/push-cache.js';
import { newPushId, type PushControlEvent, type PushMessage } from './message.js';
import type { Visitors } from './visitors.js';
import { OutgoingPush, type PushEncoding } from './outgoing.js';
import { responseSink, socketSink, type Sink } from './stream-sink.js';
import type { AccessControl } from './access.js';
import { HttpError, sendHttpError } from './http-error.js';
import { externalAttachment, field, parseJsonPublish, parsePriority, parsePublish, parseTopic, type Params } from './publish.js';
import { cleanName, detectType, type PushAttachments } from './attachments.js';
import { readPublishBody, type PublishBody } from './publish-body.js';
import { MAX_MESSAGE_BYTES } from '../../shared/push.js';
import { ERRORS } from '../../shared/errors.js';
import { CloseCode } from '../../shared/protocol.js';
import type { UpgradeRequests } from '../upgrades.js';

export const KEEPALIVE_MS = 45_000;
/** Most cached messages one subscription is sent at once. */
const CATCH_UP_LIMIT = 5000;

type Format = 'json' | 'sse' | 'raw' | 'ws';

export interface PushRouteDeps {
  hub: PushHub;
  access: AccessControl;
  cache: PushCache;
  visitors: Visitors;
  attachments: PushAttachments;
  /** Lets a subscriber's upgrade request go once it is read. */
  upgrades: UpgradeRequests;
  /** The relay's public URL, for attachment links; default: from the request's Host. */
  baseUrl?: string;
  now: () => number;
}

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** since=: a duration (10m), a Unix time, a message id, all or latest. */
export function parseSince(value: string | undefined, nowS: number): PushSince | null {
  if (value === undefined || value === '') return null;
  if (value === 'all') return { fromTime: 0 };
  if (value === 'latest') return { latest: true };
  const duration = DURATION.exec(value);
  if (duration) return { fromTime: nowS - Number(duration[1]) * UNIT_S[duration[2]!]! };
  if (/^\d{1,11}$/.test(value)) return { fromTime: Number(value) };
  if (/^[A-Za-z0-9]{1,32}$/.test(value)) return { afterId: value };
  throw new HttpError('bad_since', `invalid since "${value.slice(0, 40)}": use a duration (10m), a Unix time, a message id, all or latest`, 'since');
}

interface Subscription {
  topics: string[];
  since: PushSince | null;
  poll: boolean;
  wants(message: PushMessage): boolean;
}

function parseSubscription(topicList: string, query: Params, nowS: number): Subscription {
  const one = (name: string): string | undefined => {
    const v = query[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const topics = [...new Set(topicList.split(',').map((t) => parseTopic(t)))];
  const poll = ['1', 'yes', 'true'].includes((one('poll') ?? one('po') ?? '').toLowerCase());
  const since = parseSince(one('since') ?? one('si'), nowS) ?? (poll ? { fromTime: 0 } : null);
  const priorityList = one('priority') ?? one('prio') ?? one('p');
  const priorities = priorityList ? new Set(priorityList.split(',').map((p) => parsePriority(p))) : null;
  const tagList = one('tags') ?? one('tag') ?? one('ta');
  const tags = tagList ? tagList.split(',').map((t) => t.trim()).filter(Boolean) : [];
  return {
    topics,
    since,
    poll,
    // Priority: any of those given (no priority means 3). Tags: all of those given.
    wants: (m) => (!priorities || priorities.has(m.priority ?? 3)) && tags.every((t) => m.tags?.includes(t)),
  };
}

function contentLength(request: FastifyRequest): number | undefined {
  const value = request.headers['content-length'];
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

function encode(format: Format, event: PushMessage | PushControlEvent): string {
  const json = JSON.stringify(event);
  if (format === 'ws') return json;
  if (format === 'json') return `${json}\n`;
  if (format === 'sse') return event.event === 'message' ? `id: ${event.id}\ndata: ${json}\n\n` : `event: ${event.event}\ndata: ${json}\n\n`;
  // One message, one line: a carriage return would let a message overwrite the line before it.
  return event.event === 'message' ? `${event.message.replace(/[\r\n]/g, ' ')}\n` : '\n';
}

/** One encoding per format, shared by every subscription (an OutgoingPush caches by encoding). */
const ENCODINGS: Record<Format, PushEncoding> = {
  json: (m) => encode('json', m),
  sse: (m) => encode('sse', m),
  raw: (m) => encode('raw', m),
  ws: (m) => encode('ws', m),
};

const CONTENT_TYPES: Record<Exclude<Format, 'ws'>, string> = {
  json: 'application/x-ndjson; charset=utf-8',
  sse: 'text/event-stream; charset=utf-8',
  raw: 'text/plain; charset=utf-8',
};

/**
 * Registers the routes on an encapsulated scope: its content-type parsing is the push API's own. A
 * refusal (access, input) is thrown as an HttpError, which the relay's error handler answers
 * (http-error.ts answerFailure), hooks included.
 */
export function registerPushRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  const nowS = () => Math.floor(deps.now() / 1000);
  // Publishers send any content type (curl -d sends a form type): the body is the message, as text.
  app.removeAllContentTypeParsers();
  // Open subscriptions end when the relay closes: a shutdown must not wait for subscribers to leave.
  const open = new Set<Sink>();
  app.addHook('preClose', (done) => {
    for (const sink of open) sink.destroy();
    done();
  });
  // A publish to a topic may be a file (curl -T): its body is read as far as a message goes, and the
  // rest streams to disk only once the publisher is known to be allowed (publish-body.ts).
  app.addContentTypeParser('*', (request, payload, done) => {
    const url = request.routeOptions.url ?? '';
    readPublishBody(payload, url === '/:topic' ? MAX_MESSAGE_BYTES : 64 * 1024, url === '/:topic').then(
      (body) => done(null, body),
      (err: Error) => done(err),
    );
  });

  const publish = async (request: FastifyRequest<{ Params: { topic: string } }>, reply: FastifyReply) => {
    if (!(await deps.visitors.request(request.ip))) return sendHttpError(reply, 'rate_limited');
    const body = request.body as PublishBody | undefined;
    try {
      const user = await deps.access.authenticate(request.headers.authorization);
      const headers = request.headers as Params;
      const query = request.query as Params;
      const filename = field('filename', headers, query);
      const attach = field('attach', headers, query);
      const bytes = body?.bytes ?? Buffer.alloc(0);
      const text = body && !body.rest && isUtf8(bytes) ? bytes.toString('utf8') : undefined;
      // A file: asked for by name (even empty, as ntfy), or a body no message can be (too large, or not
      // text). An Attach URL is a link instead, and the body its message.
      const isFile = !attach && (body?.rest !== undefined || filename !== undefined || (bytes.length > 0 && text === undefined));
      // ntfy names the file in the message when the publisher wrote none.
      const hasMessage = field('message', headers, query) !== undefined || (!isFile && (text ?? '').trim() !== '');
      const input = parsePublish({ topic: request.params.topic, headers, query, body: isFile ? '' : text }, nowS());
      await deps.access.authorize(user, [input.topic], 'write');
      if (attach) {
        const attachment = externalAttachment(attach, filename);
        return await deps.hub.publish({ ...input, ...(hasMessage ? {} : { message: `You received a file: ${attachment.name}` }), attachment });
      }
      if (!isFile) return await deps.hub.publish(input);
      // A delayed push whose file would be gone before it is delivered: refused, as ntfy does.
      if (input.at !== undefined && input.at > nowS() + Math.round(deps.attachments.expiryMs / 1000)) {
        throw new HttpError('attachment_expires_first', 'the attachment would expire before the delayed push is delivered');
      }
      await deps.attachments.admit(contentLength(request));
      const id = newPushId();
      const { size, expires } = await deps.attachments.store(id, bytes, body?.rest ?? Readable.from([]));
      const { type, ext } = detectType(bytes.subarray(0, 512), filename);
      const name = filename ? cleanName(filename) || `attachment${ext}` : `attachment${ext}`;
      return await deps.hub.publish({
        ...input,
        id,
        message: hasMessage ? input.message : `You received a file: ${name}`,
        attachment: {
          name,
          type,
          size,
          expires,
          url: `${deps.baseUrl ?? `${request.protocol}://${request.headers.host ?? request.hostname}`}/file/${id}${ext}`,
        },
      });
    } finally {
      // Whatever was refused: the rest of the body is drained, never left to stall the socket.
      body?.rest?.resume();
    }
  };

  app.get('/file/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
    if (!(await deps.visitors.request(request.ip))) return sendHttpError(reply, 'rate_limited');
    const match = /^([A-Za-z0-9]{1,32})(\.[A-Za-z0-9]{1,16})?$/.exec(request.params.name);
    const file = match ? await deps.attachments.open(match[1]!) : null;
    if (!file) return sendHttpError(reply, 'not_found');
    const { type } = detectType(file.head, request.params.name);
    return reply
      .header('content-type', type)
      .header('content-length', String(file.size))
      .header('x-content-type-options', 'nosniff')
      // Served from the relay's origin: never as a page that could run script there.
      .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self'; media-src 'self'")
      .send(file.stream);
  });
  app.put('/:topic', publish);
  app.post('/:topic', publish);
  for (const alias of ['publish', 'send', 'trigger']) app.get(`/:topic/${alias}`, publish);

  const publishJson = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await deps.visitors.request(request.ip))) return sendHttpError(reply, 'rate_limited');
    let body: unknown;
    try {
      body = JSON.parse((request.body as PublishBody | undefined)?.bytes.toString('utf8') ?? '');
    } catch {
      return sendHttpError(reply, 'bad_json', 'the body is not JSON', 'body');
    }
    const user = await deps.access.authenticate(request.headers.authorization);
    const input = parseJsonPublish(body, nowS());
    await deps.access.authorize(user, [input.topic], 'write');
    return deps.hub.publish(input);
  };
  app.post('/', publishJson);
  app.put('/', publishJson);

  for (const format of ['json', 'sse', 'raw'] as const) {
    app.get(`/:topics/${format}`, async (request: FastifyRequest<{ Params: { topics: string } }>, reply) => {
      if (!(await deps.visitors.request(request.ip))) return sendHttpError(reply, 'rate_limited');
      const user = await deps.access.authenticate(request.headers.authorization);
      const subscription = parseSubscription(request.params.topics, request.query as Params, nowS());
      await deps.access.authorize(user, subscription.topics, 'read');
      const cached = () => cachedFor(subscription);
      if (subscription.poll) {
        reply.header('content-type', CONTENT_TYPES[format]);
        return (await cached()).map((m) => encode(format, m)).join('');
      }
      const release = await deps.visitors.subscribe(request.ip);
      if (!release) return sendHttpError(reply, 'too_many_subscriptions');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': CONTENT_TYPES[format], 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      const sink = responseSink(res, request.raw);
      sink.onClose(release);
      follow(sink, format, subscription, cached);
      return reply;
    });
  }

  // Refused before the upgrade, with the same JSON errors as the other endpoints.
  const admitSocket = async (request: FastifyRequest) => {
    // Charged like the other endpoints, and before a password is checked.
    if (!(await deps.visitors.request(request.ip))) throw new HttpError('rate_limited');
    const user = await deps.access.authenticate(request.headers.authorization);
    const { topics } = request.params as { topics: string };
    await deps.access.authorize(user, parseSubscription(topics, request.query as Params, nowS()).topics, 'read');
  };
  app.get('/:topics/ws', { websocket: true, onRequest: deps.upgrades.note, preValidation: admitSocket }, (socket, request) => {
    const { ip } = request;
    const raw = request.raw.socket;
    let subscription: Subscription;
    try {
      subscription = parseSubscription((request.params as { topics: string }).topics, request.query as Params, nowS());
    } catch (err) {
      socket.close(CloseCode.policyViolation, err instanceof Error ? err.message.slice(0, 120) : 'bad subscription');
      return;
    } finally {
      deps.upgrades.release(socket, request, () => socket.terminate());
    }
    deps.visitors.subscribe(ip).then(
      (release) => {
        if (!release) {
          socket.close(CloseCode.policyViolation, ERRORS.too_many_subscriptions.message);
          return;
        }
        // Gone while its place was counted: given back at once.
        if (socket.readyState !== socket.OPEN) {
          release();
          return;
        }
        const sink = socketSink(socket, raw);
        sink.onClose(release);
        follow(sink, 'ws', subscription, () => cachedFor(subscription));
      },
      (err: unknown) => {
        app.log.warn({ err }, 'push subscription not counted');
        socket.close(CloseCode.internalError, 'the relay cannot count this subscription right now: try again shortly');
      },
    );
  });

  /** The cached messages a subscription asked for with since=, filtered as it asked. */
  async function cachedFor(subscription: Subscription): Promise<PushMessage[]> {
    if (!subscription.since) return [];
    return (await deps.cache.pushes(subscription.topics, subscription.since, nowS(), CATCH_UP_LIMIT)).filter(subscription.wants);
  }

  /** An open event, the cached messages asked for, then live ones as they come, and keepalives. */
  function follow(sink: Sink, format: Format, subscription: Subscription, cached: () => Promise<PushMessage[]>): void {
    open.add(sink);
    sink.onClose(() => open.delete(sink));
    const control = (event: 'open' | 'keepalive'): PushControlEvent => ({ id: newPushId(), time: nowS(), event, topic: subscription.topics.join(',') });
    // Live messages that arrive while the cache is read wait, so nothing is lost or sent twice.
    let backlog: OutgoingPush[] | null = [];
    // Ids sent from the cache: a live copy of one of them (published during the read) is skipped.
    let fromCache: Set<string> | null = new Set();
    const send = (push: OutgoingPush) => {
      if (fromCache?.has(push.message.id)) return;
      sink.write(push.as(ENCODINGS[format]));
    };
    const unsubscribe = deps.hub.subscribe({
      topics: new Set(subscription.topics),
      wants: subscription.wants,
      output: sink.output,
      deliver: (push) => {
        if (!backlog) return send(push);
        backlog.push(push);
        // A catch-up that a reader keeps waiting while live pushes pile up: let it come back later.
        if (backlog.length > CATCH_UP_LIMIT) sink.destroy();
      },
    });
    const keepalive = setInterval(() => sink.write(encode(format, control('keepalive'))), KEEPALIVE_MS);
    sink.onClose(() => {
      clearInterval(keepalive);
      unsubscribe();
    });
    // Open (and the cache read) once the other nodes' pushes for these topics reach this one.
    void deps.hub
      .ready(subscription.topics)
      .then(async () => {
        sink.write(encode(format, control('open')));
        const messages = await cached();
        // In as few writes as the connection allows, not one per message, paced by the reader.
        await sink.catchUp(messages, (m) => {
          send(new OutgoingPush(m));
          fromCache?.add(m.id);
        });
        const waiting = backlog ?? [];
        backlog = null;
        for (const push of waiting) send(push);
        // From here on everything is live, and new.
        fromCache = null;
      })
      .catch(() => sink.destroy());
  }
}
