// What keeps secrets out of Warbler's logs when a log call slips. The rule is that no code logs
// message text, keys, link codes, tokens or passphrases; these are the safety net behind it:
// pino's `redact` for fields whose name says they carry one, and an `err` serializer that keeps
// only what helps to debug (type, code, a scrubbed message, the stack's frames), because an
// error's message or extra properties can embed the data that made it fail.
import type { LoggerOptions } from 'pino';

/** Field names that carry secrets or a person's content wherever they appear. */
const SECRET_FIELDS = [
  'text',
  'body',
  'plaintext',
  'plain',
  'payload',
  'sealed',
  'ciphertext',
  'envelope',
  'secretKey',
  'privateKey',
  'secret',
  'key',
  'keys',
  'historyKey',
  'token',
  'passphrase',
  'password',
  'authorization',
  'cookie',
  'linkCode',
  'signature',
];

/**
 * `code` and `message` also name an error's code and message, which help and are kept (the
 * serializer scrubs the message): these are redacted only where they hold a link code or a push.
 */
const CONTEXTUAL_PATHS = [
  'code',
  'link.code',
  'request.code',
  'linking.code',
  'message',
  'push.message',
  'item.message',
  'title',
  'push.title',
  'item.title',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

export const REDACTED = '[redacted]';

const REDACT_PATHS: readonly string[] = [...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]), ...CONTEXTUAL_PATHS];

/** Long enough to be a key, a token or a signature in base64(url) or hex (see looksRandom). */
const LONG_WORD = /[A-Za-z0-9+_-]{20,}={0,2}/g;
/** Part of a link code (8 digits find the device, 10 are its secret) or any other long number. */
const LONG_NUMBER = /\d[\d -]{6,}\d/g;
/** A secret carried in a URL's query or user info. */
const URL_SECRET = /([?&](?:token|key|code|secret|auth|access_token)=)[^&\s"']+|(\/\/)[^/\s@"']+@/gi;
const MAX_MESSAGE = 300;

/** An error message or a line from a library, with anything that may be a secret cut out. */
export function scrubText(text: string): string {
  const scrubbed = text
    .replace(URL_SECRET, (_m, query: string | undefined, slashes: string | undefined) => (query ? `${query}${REDACTED}` : `${slashes}${REDACTED}@`))
    .replace(LONG_WORD, (word) => (looksRandom(word) ? REDACTED : word))
    .replace(LONG_NUMBER, REDACTED);
  return scrubbed.length > MAX_MESSAGE ? `${scrubbed.slice(0, MAX_MESSAGE)}…` : scrubbed;
}

/**
 * Random bytes in base64 mix upper case, lower case and digits; in hex they are 32+ hex digits.
 * Words of a file name or an identifier (`set-aside-2026-05-01T…`, `not_subscribed`) rarely do both.
 */
function looksRandom(word: string): boolean {
  if (/^[0-9a-f]{32,}$/i.test(word)) return true;
  return /[a-z]/.test(word) && /[A-Z]/.test(word) && /\d/.test(word);
}

interface SafeError {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  cause?: SafeError;
}

/** pino's `err` serializer, made safe: no enumerable extras, no input echoed by JSON.parse. */
export function safeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error)) return { type: typeof err, message: typeof err === 'string' ? scrubText(err) : '(not an Error)' };
  // V8's JSON.parse errors quote the start of the text they could not parse: a decrypted payload, say.
  const quotesInput = err instanceof SyntaxError && /JSON/.test(err.message);
  const out: SafeError = {
    type: err.constructor?.name || err.name,
    message: quotesInput ? 'not valid JSON' : scrubText(err.message),
  };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = typeof code === 'string' ? scrubText(code) : code;
  // Only the frames: the stack's first line repeats the message, unscrubbed.
  const frames = err.stack?.split('\n').filter((line) => /^\s+at /.test(line));
  if (frames && frames.length > 0) out.stack = frames.join('\n');
  if (err.cause !== undefined && depth < 3) out.cause = safeError(err.cause, depth + 1);
  return out;
}

/** The redaction and serializers every Warbler log uses, whatever it writes to. */
export function safeLoggerOptions(): Pick<LoggerOptions, 'redact' | 'serializers'> {
  return {
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: { err: (err: unknown) => safeError(err) },
  };
}
