// What the parts of one session share: the relay's services, who is logged in, and the socket.
import type { Logger } from 'pino';
import type { AccountDevices, ClientFrame, CloseCode, ErrorFrame, PreKeyUpload, WireErrorCode } from '../../shared/protocol.js';
import { signedPreKeyPayload } from '../../shared/crypto.js';
import type { RelayStores } from '../storage/relay-stores.js';
import type { QueueLimits } from '../storage/queue-store.js';
import type { DeviceSession, SessionRegistry } from '../registry.js';
import type { PresenceHub } from '../presence.js';
import type { PendingLinks } from '../links.js';
import type { Budgets } from '../budgets.js';
import type { TickCork } from './tick-cork.js';
import type { SignatureChecks } from '../signature-checks.js';
import type { PushHub } from '../push/hub.js';
import type { PushSigner } from '../push/signer.js';
import type { AccessControl } from '../push/access.js';
import type { Visitors } from '../push/visitors.js';
import type { Blobs } from '../blobs/blobs.js';

export interface SessionDeps {
  stores: RelayStores;
  /** Queued envelopes older than this expire. */
  queueTtlMs: number;
  registry: SessionRegistry;
  presence: PresenceHub;
  links: PendingLinks;
  /** What each client may spend: registrations, sends, typing and presence, prekey bundles. */
  budgets: Budgets;
  /** Messages, and their bytes, the relay keeps waiting for one device at most. */
  queueLimits: QueueLimits;
  /** Push topics: live pushes, their signer, who may read them, and each address's subscriptions. */
  push: { hub: PushHub; signer: PushSigner; access: AccessControl; visitors: Visitors };
  /** End-to-end encrypted attachments: upload tokens, the store (for the quota taken), the limits. */
  blobs: Blobs;
  /** Holds each socket's writes while one event is handled, so they leave in one system call. */
  corks: TickCork;
  /** Ed25519 checks (logins, certificates, signed prekeys), on a worker thread. */
  signatures: SignatureChecks;
  log: Logger;
  now: () => number;
}

export interface Identity {
  device: string;
  username: string;
}

/** The session as its parts see it: the device it serves, and more. */
export interface SessionContext extends DeviceSession {
  readonly deps: SessionDeps;
  /** The network address the socket comes from (what per-address limits count). */
  readonly address: string;
  /** The relay's host as this client reached it, which its login signature must name; undefined without a usable Host header. */
  readonly origin: string | undefined;
  /** The logged-in device; undefined until register or auth succeeds. */
  readonly identity: Identity | undefined;
  /** The socket has closed: nothing more is sent. */
  readonly closed: boolean;
  /** Bytes sent on the socket that the client has not read yet. */
  readonly buffered: number;
  /** The logged-in device; a RequestError before login. */
  requireIdentity(): Identity;
  close(code: CloseCode, reason: string): void;
}

/** A request the relay refuses: answered with an error frame carrying this code. */
export class RequestError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
    /** device_mismatch's device lists; the params the app's text for the code needs. */
    readonly extra: Pick<ErrorFrame, 'accounts' | 'params'> = {},
  ) {
    super(message);
  }
}

export type Frame<T extends ClientFrame['type']> = Extract<ClientFrame, { type: T }>;

/** The account's key and devices; a RequestError when there is no such user (or no device left). */
export async function accountOf(stores: RelayStores, username: string): Promise<AccountDevices> {
  const account = await stores.accounts.account(username);
  if (!account || account.devices.length === 0) throw new RequestError('unknown_recipient', `no user is called "${username}"`, { params: { username } });
  return account;
}

/** Typing, presence changes and withdrawals share one budget per device: charged before the work. */
export async function spendEphemeral(session: SessionContext): Promise<void> {
  const me = session.requireIdentity();
  const { budgets, now } = session.deps;
  if (!(await budgets.ephemeral.take(me.device, 1, now()))) throw new RequestError('rate_limited', 'too many typing and presence frames: slow down');
}

/** A signed prekey must be signed by the device it belongs to. */
export async function checkPreKeys(session: SessionContext, device: string, upload: PreKeyUpload): Promise<void> {
  if (!upload.signedPreKey) return;
  const refused = new RequestError('bad_prekey', 'the signed prekey is not signed by this device');
  let message: Uint8Array;
  try {
    message = signedPreKeyPayload(upload.signedPreKey.publicKey);
  } catch {
    throw refused;
  }
  if (!(await session.deps.signatures.check(message, upload.signedPreKey.signature, device))) throw refused;
}
