// Every error Warbler answers or raises toward a person or a program, in one table: the relay's
// error frames, the client core's, the vault's, the IPC service's, the web bridge's and the push
// API's HTTP bodies. Programs read the code (and, over HTTP, ntfy's number); the app translates
// the code into the person's language, never the English message, which is for logs and scripts.
import { z } from 'zod';

/**
 * Where a code may occur. 'wire': the relay's WebSocket error frames. 'client': raised by the
 * client core (core/relay/error.ts RelayError and others). 'vault': the history's key and files.
 * 'ipc': the client service's answers to the app. 'bridge': between the page and its host (the web
 * shim, the Electron preload). 'http': the push API's JSON error bodies.
 */
export type ErrorPlace = 'wire' | 'client' | 'vault' | 'ipc' | 'bridge' | 'http';

interface ErrorSpec {
  readonly where: readonly ErrorPlace[];
  /**
   * 'expected': a person (or a publishing script) can act on it; the app shows its own text.
   * 'internal': a bug or something that should not happen; the app shows one generic line and the
   * detail goes to the log.
   */
  readonly kind: 'expected' | 'internal';
  /** The HTTP status, for a code the push API answers with. */
  readonly http?: number;
  /**
   * The push API's numeric code: ntfy's own where the meaning is the same (scripts written for ntfy
   * keep working); Warbler's own count down from status × 100 + 99, clear of ntfy's, which count up.
   */
  readonly ntfy?: number;
  /** Values the app's text for this code needs, sent as the error's `params`. */
  readonly params?: readonly string[];
  /** What it means, in English: the default message, and the documentation. */
  readonly message: string;
}

export const ERRORS = {
  // ---- the relay's error frames (their values are the wire protocol: never rename one) --------
  bad_json: { where: ['wire', 'http'], kind: 'internal', http: 400, ntfy: 40024, message: 'not valid JSON' },
  bad_frame: { where: ['wire', 'client'], kind: 'internal', message: 'the frame does not match the protocol' },
  frame_too_large: { where: ['wire'], kind: 'internal', message: 'the frame is larger than the relay accepts' },
  unauthenticated: { where: ['wire'], kind: 'internal', message: 'log in first' },
  already_authenticated: { where: ['wire'], kind: 'internal', message: 'this connection is already logged in' },
  bad_signature: { where: ['wire'], kind: 'internal', message: 'the signature does not match' },
  username_taken: { where: ['wire'], kind: 'expected', message: 'the username is taken' },
  device_exists: { where: ['wire'], kind: 'internal', message: 'this device key is already registered' },
  unknown_device: { where: ['wire'], kind: 'expected', message: 'no account has this device' },
  unknown_recipient: { where: ['wire', 'client'], kind: 'expected', params: ['username'], message: 'no such user' },
  device_mismatch: { where: ['wire'], kind: 'internal', message: 'the message is not sealed for the current devices' },
  unknown_link: { where: ['wire'], kind: 'expected', message: 'no device is waiting with this code' },
  bad_certificate: { where: ['wire'], kind: 'internal', message: 'the device certificate does not verify' },
  bad_prekey: { where: ['wire'], kind: 'internal', message: 'the prekey is not valid' },
  no_prekeys: { where: ['wire'], kind: 'expected', params: ['username'], message: 'none of these devices has prekeys' },
  forbidden: { where: ['wire', 'ipc', 'http'], kind: 'expected', http: 403, ntfy: 40301, message: 'forbidden' },
  rate_limited: { where: ['wire', 'http'], kind: 'expected', http: 429, ntfy: 42901, message: 'too many requests: slow down' },
  // Since protocol 3.
  queue_full: { where: ['wire'], kind: 'expected', params: ['username'], message: "the recipient's queue on the relay is full" },
  // Since protocol 3, for clients that send `after`; no other client is ever answered with it.
  out_of_order: { where: ['wire'], kind: 'internal', message: 'the message sent before this one was not stored: send that one first' },
  internal: { where: ['wire', 'ipc', 'http'], kind: 'internal', http: 500, ntfy: 50001, message: 'internal error' },

  // ---- the push API (HTTP) --------------------------------------------------------------------
  /**
   * Its params may name the request's `field` that is wrong, so the app can say what to fix. Not in
   * `params`: those are what the text always needs, and the text reads well without it.
   */
  bad_request: { where: ['ipc', 'http'], kind: 'expected', http: 400, ntfy: 40000, message: 'invalid request' },
  bad_topic: { where: ['http'], kind: 'expected', http: 400, ntfy: 40009, message: 'invalid topic' },
  bad_priority: { where: ['http'], kind: 'expected', http: 400, ntfy: 40007, message: 'invalid priority' },
  bad_since: { where: ['http'], kind: 'expected', http: 400, ntfy: 40008, message: 'invalid since' },
  bad_delay: { where: ['http'], kind: 'expected', http: 400, ntfy: 40004, message: 'invalid delay' },
  delay_too_small: { where: ['http'], kind: 'expected', http: 400, ntfy: 40005, message: 'the delay is too small' },
  delay_too_large: { where: ['http'], kind: 'expected', http: 400, ntfy: 40006, message: 'the delay is too large' },
  not_utf8: { where: ['http'], kind: 'expected', http: 400, ntfy: 40011, message: 'the message is not UTF-8 text' },
  bad_publish: { where: ['http'], kind: 'expected', http: 400, ntfy: 40017, message: 'the JSON is not a message to publish' },
  bad_actions: { where: ['http'], kind: 'expected', http: 400, ntfy: 40018, message: 'invalid actions' },
  bad_icon: { where: ['http'], kind: 'expected', http: 400, ntfy: 40021, message: 'the icon is not an http(s) URL' },
  bad_click: { where: ['http'], kind: 'expected', http: 400, ntfy: 40099, message: 'the click target is not an http(s) URL' },
  unauthorized: { where: ['http'], kind: 'expected', http: 401, ntfy: 40101, message: 'unauthorized' },
  not_found: { where: ['http'], kind: 'expected', http: 404, ntfy: 40401, message: 'page not found' },
  push_too_large: { where: ['http'], kind: 'expected', http: 413, ntfy: 41399, message: 'the message is too large' },
  too_many_subscriptions: { where: ['http'], kind: 'expected', http: 429, ntfy: 42903, message: 'too many subscriptions: slow down' },
  /** A relay of several nodes that cannot reach what they share (Redis): it refuses work it cannot count. */
  unavailable: { where: ['http'], kind: 'expected', http: 503, ntfy: 50399, message: 'the relay is unavailable for now: try again shortly' },
  attachment_too_large: {
    where: ['client', 'http'],
    kind: 'expected',
    http: 413,
    ntfy: 41301,
    params: ['max'],
    message: 'attachment too large, or bandwidth limit reached',
  },
  quota_exceeded: {
    where: ['client', 'http'],
    kind: 'expected',
    http: 413,
    ntfy: 41398,
    message: 'the account keeps as many attachments on the relay as it may',
  },
  attachments_disabled: { where: ['http'], kind: 'expected', http: 400, ntfy: 40014, message: 'attachments not allowed' },
  bad_attachment_url: { where: ['http'], kind: 'expected', http: 400, ntfy: 40013, message: 'invalid request: attachment URL is invalid' },
  attachment_expires_first: {
    where: ['http'],
    kind: 'expected',
    http: 400,
    ntfy: 40015,
    message: 'invalid request: attachment expiry before delayed delivery date',
  },

  // ---- the client core ------------------------------------------------------------------------
  offline: { where: ['client'], kind: 'expected', message: 'could not reach the relay' },
  protocol_mismatch: { where: ['client'], kind: 'expected', message: 'the relay speaks another version of the protocol' },
  timeout: { where: ['client'], kind: 'expected', message: 'the relay did not answer in time' },
  replaced: { where: ['client'], kind: 'expected', message: 'this device connected from somewhere else' },
  device_removed: { where: ['client'], kind: 'expected', message: 'this device was removed from its account' },
  unknown_conversation: { where: ['client'], kind: 'expected', message: 'no such conversation' },
  not_a_member: { where: ['client'], kind: 'expected', message: 'no longer a member of this group' },
  not_owner: { where: ['client'], kind: 'expected', params: ['owner'], message: 'only the group’s owner adds and removes members' },
  legacy_group: { where: ['client'], kind: 'expected', message: 'a group made by an earlier release takes no new members' },
  too_many: { where: ['client'], kind: 'expected', params: ['max'], message: 'too many members for a group' },
  too_large: { where: ['client'], kind: 'expected', message: 'the message is too long to send to this many devices' },
  failed: { where: ['client'], kind: 'expected', message: 'the message could not be sent' },
  bad_code: { where: ['client'], kind: 'expected', params: ['digits'], message: 'a link code has 18 digits' },
  link_mismatch: { where: ['client'], kind: 'expected', message: 'the device behind this code is not the one showing it' },
  bad_link: { where: ['client'], kind: 'expected', message: 'the approving device could not prove the account key' },
  this_device: { where: ['client'], kind: 'expected', message: 'this is the device in use' },
  own_account: { where: ['client'], kind: 'expected', message: 'a safety number is between two people' },
  own_chat: { where: ['client'], kind: 'expected', message: 'that is you: this is for other people' },
  unknown_message: { where: ['client'], kind: 'expected', message: 'no such message in this history' },
  too_many_pins: { where: ['client'], kind: 'expected', params: ['max'], message: 'at most 4 conversations can be pinned' },
  blocked: { where: ['client'], kind: 'expected', params: ['username'], message: 'this person is blocked: unblock them to write to them' },
  not_a_request: { where: ['client'], kind: 'expected', message: 'only a message request can be deleted' },
  still_a_member: { where: ['client'], kind: 'expected', message: 'leave the group before deleting it' },
  message_deleted: { where: ['client'], kind: 'expected', message: 'the message was deleted' },
  not_own_message: { where: ['client'], kind: 'expected', message: 'only its sender can edit a message or delete it for everyone' },
  too_late: { where: ['client'], kind: 'expected', message: 'a message can be edited or deleted for everyone for 24 hours after it was sent' },
  safety_number_changed: { where: ['client'], kind: 'expected', params: ['username'], message: 'the safety number changed' },
  identity_changed: { where: ['client'], kind: 'expected', params: ['username'], message: 'the safety number changed after it was verified' },
  attachment_damaged: { where: ['client'], kind: 'expected', message: 'the file was changed or damaged on its way' },
  attachment_missing: { where: ['client', 'http'], kind: 'expected', http: 404, ntfy: 40499, message: 'the file is no longer on the relay' },
  transfer_failed: { where: ['client'], kind: 'expected', message: 'the file could not be transferred' },
  transfer_cancelled: { where: ['client'], kind: 'expected', message: 'the transfer was cancelled' },
  unknown_attachment: { where: ['client', 'ipc'], kind: 'expected', message: 'no such attachment' },
  unreadable_file: { where: ['client', 'ipc'], kind: 'expected', message: 'the file could not be read' },
  schema_too_new: { where: ['client'], kind: 'expected', message: 'the database was written by a newer Warbler' },
  relay_key_changed: {
    where: ['client'],
    kind: 'expected',
    params: ['fingerprint'],
    message: 'the relay presents another key than the one this device first met (restored from a backup, or another relay at its address)',
  },

  // ---- the vault: the history's key and files --------------------------------------------------
  locked: { where: ['vault'], kind: 'expected', message: 'the history is locked' },
  wrong_passphrase: { where: ['vault'], kind: 'expected', message: 'wrong passphrase' },
  wrong_key_file: { where: ['vault'], kind: 'expected', message: 'the key file does not hold this history’s key' },
  wrong_key: { where: ['vault'], kind: 'expected', message: 'the history key does not open the database' },
  no_passphrase: { where: ['vault'], kind: 'expected', message: 'no passphrase was set for this history' },
  choose_passphrase: { where: ['vault'], kind: 'expected', message: 'choose a passphrase for the history first' },
  not_locked: { where: ['vault'], kind: 'expected', message: 'the history is not locked' },
  in_use: { where: ['vault'], kind: 'expected', message: 'the profile is open in another Warbler process' },

  // ---- the client service (IPC) ---------------------------------------------------------------
  unknown_channel: { where: ['ipc', 'bridge'], kind: 'internal', message: 'unknown IPC channel' },
  starting: { where: ['ipc'], kind: 'expected', message: 'Warbler is still starting' },
  no_profile: { where: ['ipc'], kind: 'expected', message: 'create an account first' },
  already_registered: { where: ['ipc'], kind: 'expected', message: 'this profile already has an account' },
  link_in_progress: { where: ['ipc'], kind: 'expected', message: 'a link code is being requested already' },
  not_subscribed: { where: ['ipc'], kind: 'expected', params: ['topic'], message: 'not subscribed to this topic' },
  unsupported: { where: ['ipc'], kind: 'expected', message: 'this host cannot do that' },
  open_failed: { where: ['ipc'], kind: 'expected', message: 'the folder could not be opened' },

  // ---- between the page and its host -----------------------------------------------------------
  bridge_unavailable: { where: ['bridge'], kind: 'expected', message: 'the Warbler host is not reachable' },
  bridge_closed: { where: ['bridge'], kind: 'expected', message: 'lost the connection to the Warbler host' },
  bridge_send_failed: { where: ['bridge'], kind: 'internal', message: 'the request could not be sent to the host' },
  bridge_bad_reply: { where: ['bridge'], kind: 'internal', message: 'the host sent a reply that does not match the contract' },
} as const satisfies Record<string, ErrorSpec>;

type Table = typeof ERRORS;
export type ErrorCode = keyof Table;

/** The codes that may occur at a place (or at any of several). */
export type ErrorCodeAt<P extends ErrorPlace> = { [C in ErrorCode]: P & Table[C]['where'][number] extends never ? never : C }[ErrorCode];

/**
 * The codes the app shows a text of its own for: expected ones that can reach it (every place
 * but the push API, which answers scripts). Each has a translation in every language; any other
 * code is shown as the generic line of `internal`.
 */
export type ShownErrorCode = {
  [C in ErrorCode]: Table[C]['kind'] extends 'expected' ? (Exclude<Table[C]['where'][number], 'http'> extends never ? never : C) : never;
}[ErrorCode];

export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

export function errorCodesAt<P extends ErrorPlace>(...places: P[]): [ErrorCodeAt<P>, ...ErrorCodeAt<P>[]] {
  return ERROR_CODES.filter((code) => (ERRORS[code].where as readonly ErrorPlace[]).some((w) => (places as ErrorPlace[]).includes(w))) as [
    ErrorCodeAt<P>,
    ...ErrorCodeAt<P>[],
  ];
}

export const ErrorCode = z.enum(ERROR_CODES);

export function isShownErrorCode(code: ErrorCode): code is ShownErrorCode {
  const spec: ErrorSpec = ERRORS[code];
  return spec.kind === 'expected' && spec.where.some((w) => w !== 'http');
}

/** The values an error's text needs (a username, a maximum): short, and never a secret. */
export const ErrorParams = z
  .record(z.string().regex(/^[a-z][a-zA-Z]{0,31}$/), z.union([z.string().max(200), z.number()]))
  .refine((params) => Object.keys(params).length <= 8, 'at most 8 params');
export type ErrorParams = z.infer<typeof ErrorParams>;

/**
 * An error as it crosses IPC: a code of this table, translated by the renderer with `params`;
 * `message` is English, for logs, the CLI and devtools. An unknown code or bad params (a newer host)
 * are taken as `internal` and as none: the reply still arrives.
 */
export const IpcError = z.object({ code: ErrorCode.catch('internal'), message: z.string(), params: ErrorParams.optional().catch(undefined) });
export type IpcError = z.infer<typeof IpcError>;

/** A push API error body, as ntfy writes them: its number, the HTTP status, English text, and the field where there is one. */
export interface HttpErrorBody {
  code: number;
  http: number;
  error: string;
  field?: string;
}

export type HttpErrorCode = { [C in ErrorCode]: Table[C] extends { http: number; ntfy: number } ? C : never }[ErrorCode];

export function httpErrorBody(code: HttpErrorCode, message: string = ERRORS[code].message, field?: string): HttpErrorBody {
  const spec = ERRORS[code];
  return { code: spec.ntfy, http: spec.http, error: message, ...(field !== undefined ? { field } : {}) };
}
