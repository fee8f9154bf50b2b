// What the push API fuzzer sends: publishes (PUT/POST /<topic>, GET …/publish, POST / with JSON),
// polls (/<topics>/json, /raw, /sse with poll=1) and WebSocket upgrades (/<topics>/ws), each with
// ntfy's headers and query parameters holding right and wrong values, CR and LF, bytes past ASCII
// and very long strings. The corpus (corpus/push) keeps requests in this same form.
import fc from 'fast-check';
import { z } from 'zod';

export const ENDPOINTS = ['publish', 'publish-get', 'publish-json', 'poll', 'ws'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export interface PushRequest {
  endpoint: Endpoint;
  method: string;
  /** Path and query exactly as sent: percent-encoded where the generator chose to, raw where not. */
  target: string;
  /** Each written as `name: value` in UTF-8, whatever the value holds (CR and LF included). */
  headers: [string, string][];
  body?: string;
  bodyBase64?: string;
}

export const PushCase = z.object({
  about: z.string(),
  request: z.object({
    endpoint: z.enum(ENDPOINTS),
    method: z.string(),
    target: z.string(),
    headers: z.array(z.tuple([z.string(), z.string()])),
    body: z.string().optional(),
    bodyBase64: z.string().optional(),
  }),
});

/** Topics the honest publish and poll after each request use too: a broken message cached there shows. */
export const TOPICS = ['alerts', 'fuzz', 'honest', 'A-b_9', 't'.repeat(64)];

/** Percent-encodes the UTF-8 of `text` (a lone surrogate as U+FFFD), as a careful client would. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

// ---- values ----------------------------------------------------------------------------------------

const SEPARATORS = ['\r\n', '\r', '\n', '\u0000', '\u0001', '\t', '\u007f', '\r\n\r\n'];
const INJECTED = ['X-Injected: 1', 'X-Priority: 5', 'Title: injected', 'not a header line', '', 'Content-Type: text/plain'];
const nasty: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 4, arbitrary: fc.constantFrom('', ' ', '__proto__', 'constructor', 'toString', '\u202e', 'null', '0', '-1', '1e999', 'NaN', '%00', '%FF', '=?utf-8?b?w6k=?=') },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...SEPARATORS), fc.constantFrom(...INJECTED)).map(([a, sep, b]) => a + sep + b) },
  { weight: 2, arbitrary: fc.constantFrom(1000, 4097, 8000).map((n) => 'v'.repeat(n)) },
  { weight: 1, arbitrary: fc.constant('o'.repeat(20_000)) },
);
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', '   ', 'x'.repeat(4097), 't'.repeat(300), '\u0000'));
const flag = fc.constantFrom('1', 'yes', 'true', 'no', '0', 'false', '', 'YES', ' true ');
const priority = fc.constantFrom(
  ...['1', '2', '3', '4', '5', '0', '6', '-1', '1.5', ' 4 ', 'min', 'low', 'default', 'high', 'max', 'urgent', 'URGENT', 'x', '5,4', '1,9'],
  ...['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'],
);
const tags = fc
  .array(fc.oneof(fc.constantFrom('warning', 'skull', '', ' ', 'a'.repeat(65), '🐦', ','), fc.string({ maxLength: 8 })), { maxLength: 25 })
  .map((t) => t.join(','));
const delay = fc.oneof(
  fc.constantFrom('10s', '9s', '30m', '3d', '4d', '1h', '72h', '73h', '0', '-10s', 'tomorrow', '10 min', '2 days', '1e3', '99999999999999999999s', '1700000000', '4102444800'),
  fc.integer({ min: -1e10, max: 1e12 }).map(String),
);
const url = fc.oneof(
  { weight: 3, arbitrary: fc.webUrl() },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ...['javascript:alert(1)', 'http://', 'https://', 'ftp://x/y', 'http://[::1', '//example.com/x', 'HTTPS://EXAMPLE.COM/x', 'data:text/html,<b>x</b>'],
      ...['https://example.com/%FF', 'https://example.com/a%2Fb.png', 'https://example.com/%E2%82%AC.png', `https://example.com/${'a'.repeat(3000)}`],
    ),
  },
  // URLs that end in percent signs and hex digits, well formed or not.
  { weight: 2, arbitrary: fc.tuple(fc.webUrl(), fc.array(fc.constantFrom('%', 'F', 'f', '0', '9', 'E', 'C', '/', '.', 'a'), { maxLength: 8 })).map(([u, cs]) => `${u.replace(/\/?$/, '/')}${cs.join('')}`) },
);
const actions = fc.oneof(
  fc.constantFrom(
    ...['view, Open, https://example.com', 'http, Retry, https://example.com/r, method=PUT, body=x, clear=true', 'launch, Go, nowhere', ';;;', ',,,', 'view'],
    ...['[]', '[{}]', '[', '[{"action":"view","label":"x","url":"https://e.com"}]', `${'['.repeat(40)}${']'.repeat(40)}`, '[{"action":"http","label":"x","url":"https://e.com","headers":{"__proto__":"x"}}]'],
  ),
  fc.json({ maxDepth: 3 }),
  fc.array(fc.tuple(fc.constantFrom('view', 'http', 'broadcast', 'x', ''), fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })), { maxLength: 4 }).map((a) => a.map((t) => t.join(', ')).join('; ')),
);
const filename = fc.oneof(fc.constantFrom('', 'a.txt', '../../etc/passwd', '..', '/', 'a'.repeat(300), 'con.txt', '.htaccess', 'x.png', 'a\u0000b', 'file name.pdf'), fc.string({ unit: 'grapheme', maxLength: 20 }));
const email = fc.oneof(fc.emailAddress(), fc.constantFrom('', '@', 'a@', `${'x'.repeat(300)}@example.com`));
const since = fc.oneof(fc.constantFrom('all', 'latest', '', '10m', '0', '1', '99999999999', '999999999999', '10x', '-1', '%', 'ALL', '1h30m'), fc.stringMatching(/^[A-Za-z0-9]{1,40}$/));
const authorization = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer tk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Basic', 'Basic !!!', 'Basic Og==', 'Basic OnRrX3g=', 'Digest x', 'bearer  tk_x extra') },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`) },
  // Each checks a password (Argon2id, ~0.1 s): rare, or the run is spent hashing.
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`) },
);
const contentType = fc.constantFrom('text/plain', 'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/plain; charset=latin1', '', ';;', 'x/y; a="');

/** ntfy's fields: the header names and query names each goes by, and values worth trying. */
const FIELDS: Record<string, { headers: string[]; query: string[]; values: fc.Arbitrary<string> }> = {
  title: { headers: ['X-Title', 'Title', 't'], query: ['title', 't'], values: text },
  message: { headers: ['X-Message', 'Message', 'm'], query: ['message', 'msg', 'm'], values: text },
  priority: { headers: ['X-Priority', 'Priority', 'prio', 'p'], query: ['priority', 'prio', 'p'], values: priority },
  tags: { headers: ['X-Tags', 'Tags', 'tag', 'ta'], query: ['tags', 'tag', 'ta'], values: tags },
  click: { headers: ['X-Click', 'Click'], query: ['click'], values: url },
  icon: { headers: ['X-Icon', 'Icon'], query: ['icon'], values: url },
  attach: { headers: ['X-Attach', 'Attach', 'a'], query: ['attach', 'a'], values: url },
  filename: { headers: ['X-Filename', 'Filename', 'File', 'f'], query: ['filename', 'file', 'f'], values: filename },
  actions: { headers: ['X-Actions', 'Actions', 'Action'], query: ['actions', 'action'], values: actions },
  delay: { headers: ['X-Delay', 'Delay', 'X-At', 'At', 'X-In', 'In'], query: ['delay', 'at', 'in'], values: delay },
  markdown: { headers: ['X-Markdown', 'Markdown', 'md'], query: ['markdown', 'md'], values: flag },
  cache: { headers: ['X-Cache', 'Cache'], query: ['cache'], values: flag },
  email: { headers: ['X-Email', 'X-E-Mail', 'Email', 'mail', 'e'], query: ['email', 'mail', 'e'], values: email },
  since: { headers: [], query: ['since', 'si'], values: since },
  poll: { headers: [], query: ['poll', 'po'], values: flag },
  scheduled: { headers: [], query: ['scheduled', 'sched'], values: flag },
  id: { headers: [], query: ['id'], values: fc.stringMatching(/^[A-Za-z0-9]{0,40}$/) },
  authorization: { headers: ['Authorization'], query: ['auth'], values: authorization },
  contentType: { headers: ['Content-Type'], query: [], values: contentType },
  other: {
    headers: ['Accept', 'User-Agent', 'Cookie', 'Origin', 'X-Forwarded-For', 'X-Firebase', 'X-UnifiedPush', 'X-Poll-ID', 'X-Template'],
    query: ['up', 'firebase', 'template', '__proto__', 'constructor', 'hasOwnProperty', ''],
    values: nasty,
  },
};
const FIELD_LIST = Object.values(FIELDS);
const valueOf = (field: (typeof FIELD_LIST)[number]) => fc.oneof({ weight: 5, arbitrary: field.values }, { weight: 1, arbitrary: nasty });

const header: fc.Arbitrary<[string, string]> = fc.oneof(
  {
    weight: 18,
    arbitrary: fc
      .constantFrom(...FIELD_LIST.filter((f) => f.headers.length > 0))
      .chain((f) => fc.tuple(fc.constantFrom(...f.headers), valueOf(f), fc.boolean()))
      .map(([name, value, upper]): [string, string] => [upper ? name.toUpperCase() : name, value]),
  },
  { weight: 1, arbitrary: fc.tuple(fc.stringMatching(/^[A-Za-z0-9-]{1,24}$/), nasty) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('X Title', 'X-Title:', '', 'Tïtle', '(x)', '\tX', 'X\r\nY'), nasty) },
);
const headers = fc.array(header, { maxLength: 6 });

/** Written into the query as is. */
const RAW_QUERY = ['%', '%ZZ', '%FF', '&&', '=', '==x', '+', '#frag', '%00', 'since=%FF', 'priority=%C0%80', 'title=%E0%A4%A', ';', 'a[b]=c', 'poll', 'x=1&x=2&x=3', 'title=%20%20'];
const queryPart: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .constantFrom(...FIELD_LIST.filter((f) => f.query.length > 0))
      .chain((f) => fc.tuple(fc.constantFrom(...f.query), valueOf(f), fc.nat({ max: 9 })))
      // Mostly percent-encoded, as a client would; sometimes raw, as a careless one would (all
      // but what would end the request line: a request line cut short is Node's to read, not the relay's).
      .map(([name, value, raw]) => (raw === 0 ? `${name}=${value.replace(/[\r\n ]/g, encodeURIComponent)}` : `${percentEncode(name)}=${percentEncode(value)}`)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERY) },
);
const query = fc.array(queryPart, { maxLength: 5 });
const queryString = (parts: string[]): string => (parts.length > 0 ? `?${parts.join('&')}` : '');

const topic: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TOPICS) },
  { weight: 2, arbitrary: fc.stringMatching(/^[-_A-Za-z0-9]{1,64}$/) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(percentEncode) },
  { weight: 1, arbitrary: fc.constantFrom('', 't'.repeat(65), '%', '%FF', '%2F', '..', '.', 'a%00b', '%E2%80%AE', 'a,b', ',', '~', 'json', 'v1', 'file', '%C0%AE%C0%AE') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }).map((t) => t.replace(/[\r\n ?]/g, encodeURIComponent)) },
);
const topics = fc.array(topic, { minLength: 1, maxLength: 3 }).map((t) => t.join(','));

const body: fc.Arbitrary<Pick<PushRequest, 'body' | 'bodyBase64'>> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 100 }).map((b) => ({ body: b })) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ bodyBase64: Buffer.from(b).toString('base64') })) },
  { weight: 1, arbitrary: fc.constantFrom(4096, 4097, 70_000).map((n) => ({ body: 'b'.repeat(n) })) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((b) => ({ body: b })) },
);
const jsonPublishBody: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          topic: fc.oneof(fc.constantFrom(...TOPICS), topic, fc.jsonValue({ maxDepth: 1 })),
          message: fc.oneof(text, fc.jsonValue({ maxDepth: 1 })),
          title: text,
          tags: fc.oneof(fc.array(fc.string({ maxLength: 10 }), { maxLength: 25 }), fc.jsonValue({ maxDepth: 1 })),
          priority: fc.oneof(fc.integer({ min: -1, max: 7 }), priority, fc.jsonValue({ maxDepth: 1 })),
          click: url,
          icon: url,
          attach: url,
          filename,
          delay,
          markdown: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
          actions: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }), fc.constant([{ action: 'view', label: 'x', url: 'https://e.com' }])),
        },
        { requiredKeys: ['topic'] },
      )
      .map((o) => JSON.stringify(o)),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

// ---- requests --------------------------------------------------------------------------------------

export const REQUESTS: Record<Endpoint, fc.Arbitrary<PushRequest>> = {
  publish: fc
    .record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('PUT', 'POST') }, { weight: 1, arbitrary: fc.constantFrom('PATCH', 'DELETE', 'OPTIONS', 'GET') }),
      topic,
      query,
      headers,
      body,
    })
    .map(({ method, topic, query, headers, body }) => ({ endpoint: 'publish', method, target: `/${topic}${queryString(query)}`, headers, ...body })),
  'publish-get': fc
    .record({ topic, alias: fc.constantFrom('publish', 'send', 'trigger'), query, headers })
    .map(({ topic, alias, query, headers }) => ({ endpoint: 'publish-get', method: 'GET', target: `/${topic}/${alias}${queryString(query)}`, headers })),
  'publish-json': fc
    .record({ method: fc.constantFrom('POST', 'PUT'), query, headers, body: jsonPublishBody })
    .map(({ method, query, headers, body }) => ({ endpoint: 'publish-json', method, target: `/${queryString(query)}`, headers, body })),
  poll: fc
    .record({ topics, format: fc.constantFrom('json', 'raw', 'sse'), query, headers })
    // poll=1 first: the first value of a repeated parameter counts, so the answer is never a stream.
    .map(({ topics, format, query, headers }) => ({ endpoint: 'poll', method: 'GET', target: `/${topics}/${format}${queryString(['poll=1', ...query])}`, headers })),
  ws: fc.record({ topics, query, headers }).map(({ topics, query, headers }) => ({ endpoint: 'ws', method: 'GET', target: `/${topics}/ws${queryString(query)}`, headers })),
};

const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** The request's bytes: Host and the framing headers first, so nothing injected after them can change them. */
export function requestBytes(request: PushRequest, port: number): Buffer {
  const body = request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64') : Buffer.from(request.body ?? '', 'utf8');
  const framing =
    request.endpoint === 'ws'
      ? ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${WS_KEY}`]
      : ['Connection: close', `Content-Length: ${body.length}`];
  return Buffer.concat([
    Buffer.from(`${request.method} ${request.target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${framing.join('\r\n')}\r\n`, 'utf8'),
    ...request.headers.map(([name, value]) => Buffer.from(`${name}: ${value}\r\n`, 'utf8')),
    Buffer.from('\r\n'),
    request.endpoint === 'ws' ? Buffer.alloc(0) : body,
  ]);
}

/** Node's default limit on a request's head. */
const MAX_HEAD_BYTES = 16 * 1024;
const REQUEST_LINE = /^[A-Z]+ [\x21-\x7e]+ HTTP\/1\.1$/;
/** RFC 9110: a token, a colon, then tabs, visible ASCII and bytes past 0x7F only. */
const HEADER_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*$/;

/**
 * 'http': a request HTTP/1.1 allows, which reaches the push API's routes. 'not-http': one the
 * HTTP parser refuses before any route sees it. 'either': its head is so close to Node's 16 KiB
 * limit that which side it falls on is Node's business, not this test's.
 */
export function classify(bytes: Buffer, upgrade: boolean): 'http' | 'not-http' | 'either' {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return 'not-http';
  if (Math.abs(end - MAX_HEAD_BYTES) < 1024) return 'either';
  if (end > MAX_HEAD_BYTES) return 'not-http';
  const [requestLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  if (!REQUEST_LINE.test(requestLine) || !lines.every((line) => HEADER_LINE.test(line))) return 'not-http';
  // A head cut short by an injected empty line leaves bytes past the body: the start of a second
  // request, which is not HTTP. After an upgrade's head they are the WebSocket's, whatever they are.
  if (upgrade) return 'http';
  const length = Number(/^content-length:\s*(\d+)$/im.exec(lines.join('\n'))?.[1] ?? 0);
  return bytes.length === end + 4 + length ? 'http' : 'not-http';
}
