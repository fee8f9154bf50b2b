// Logging in: the relay's one-time challenge, then register (a new account) or auth (a known device),
// each proven by the device's signature over the challenge.
import { PROTOCOL_VERSION, type ResultData, type ServerFrame } from '../../shared/protocol.js';
import { authPayload, certificatePayload } from '../../shared/crypto.js';
import { newNonce } from '../nonces.js';
import { RequestError, checkPreKeys, type Frame, type Identity, type SessionContext } from './context.js';

export class Login {
  private readonly nonce = newNonce();

  /** becomeReady: the session now belongs to this device. */
  constructor(
    private readonly session: SessionContext,
    private readonly becomeReady: (identity: Identity) => void,
  ) {}

  challenge(): Extract<ServerFrame, { type: 'challenge' }> {
    const { now, push } = this.session.deps;
    return { type: 'challenge', protocol: PROTOCOL_VERSION, nonce: this.nonce, serverTime: now(), relayKey: push.signer.publicKey };
  }

  /**
   * The device signed this connection's challenge for this relay: its own key and the origin it was
   * reached at (and this connection is not logged in yet). A signature made for another relay, to
   * which this one's challenge was passed on, does not verify here.
   */
  async checkSignature(identityKey: string, signature: string): Promise<void> {
    if (this.session.identity) throw new RequestError('already_authenticated', 'this connection is already logged in');
    const { origin, deps } = this.session;
    if (origin === undefined) throw new RequestError('bad_signature', 'the connection named no host (Host header) to check the signature against');
    if (!(await deps.signatures.check(authPayload({ nonce: this.nonce, relayKey: deps.push.signer.publicKey, origin }, identityKey), signature, identityKey))) {
      throw new RequestError('bad_signature', `the signature does not match this connection’s challenge for this relay at ${origin}`);
    }
  }

  /**
   * The socket closed while the login waited (for the signature worker, for the database): the
   * session must not become the device's, nor its presence be announced.
   */
  private refuseClosed(): void {
    if (this.session.closed) throw new RequestError('unauthenticated', 'the connection closed while logging in');
  }

  private async checkCertificate(deviceKey: string, certificate: string, accountKey: string): Promise<void> {
    if (!(await this.session.deps.signatures.check(certificatePayload(deviceKey), certificate, accountKey))) {
      throw new RequestError('bad_certificate', 'the device certificate is not signed by the account key');
    }
  }

  async register(frame: Frame<'register'>): Promise<ResultData['register']> {
    // Checked side by side on the signature worker; the first to fail, in this order, is the answer.
    const checks = await Promise.allSettled([
      this.checkSignature(frame.identityKey, frame.signature),
      this.checkCertificate(frame.identityKey, frame.certificate, frame.accountKey),
      checkPreKeys(this.session, frame.identityKey, frame.preKeys),
    ]);
    for (const check of checks) if (check.status === 'rejected') throw check.reason;
    const { stores, presence, now, budgets } = this.session.deps;
    // Counted before the work, whether or not the name is free: a loop of attempts costs its author.
    if (!(await budgets.registrations.take(this.session.address, 1, now()))) {
      throw new RequestError('rate_limited', 'too many accounts registered from this address: try again in an hour');
    }
    const result = await stores.accounts.registerAccount(
      frame.username,
      frame.accountKey,
      { identityKey: frame.identityKey, certificate: frame.certificate, preKeys: frame.preKeys },
      now(),
    );
    if (!result.ok) {
      throw result.reason === 'username_taken'
        ? new RequestError('username_taken', `the username "${frame.username}" is taken`)
        : new RequestError('device_exists', 'this device key is already registered');
    }
    this.refuseClosed();
    this.becomeReady({ device: frame.identityKey, username: frame.username });
    void presence.connected(this.session, false);
    return { username: frame.username, identityKey: frame.identityKey };
  }

  async auth(frame: Frame<'auth'>): Promise<ResultData['auth']> {
    const { stores, presence, now, queueTtlMs, blobs } = this.session.deps;
    const device = await stores.accounts.deviceByKey(frame.identityKey);
    if (!device) throw new RequestError('unknown_device', 'no account has this device key');
    await this.checkSignature(frame.identityKey, frame.signature);
    this.refuseClosed();
    const { expired, refused } = await stores.queues.takeMissed(device.identityKey, now() - queueTtlMs);
    const oneTimePreKeys = await stores.preKeys.preKeyCount(device.identityKey);
    this.refuseClosed();
    this.becomeReady({ device: device.identityKey, username: device.username });
    void presence.connected(this.session, frame.hidden ?? false, frame.away ? 'away' : 'online');
    return { username: device.username, identityKey: device.identityKey, expired, refused, oneTimePreKeys, attachmentMaxBytes: blobs.maxBytes };
  }
}
