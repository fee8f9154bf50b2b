// Logging in: the relay's one-time challenge, then register (a new account) or auth (a known device),
// each proven by the device's signature over the challenge.
import { PROTOCOL_VERSION, type ResultData, type ServerFrame } from '../../shared/protocol.js';
import { authPayload, randomBytes, toB64, verify, verifyCertificate } from '../../shared/crypto.js';
import { RequestError, checkPreKeys, type Frame, type Identity, type SessionContext } from './context.js';

export class Login {
  private readonly nonce = toB64(randomBytes(32));

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
  checkSignature(identityKey: string, signature: string): void {
    if (this.session.identity) throw new RequestError('already_authenticated', 'this connection is already logged in');
    const { origin, deps } = this.session;
    if (origin === undefined) throw new RequestError('bad_signature', 'the connection named no host (Host header) to check the signature against');
    if (!verify(authPayload({ nonce: this.nonce, relayKey: deps.push.signer.publicKey, origin }, identityKey), signature, identityKey)) {
      throw new RequestError('bad_signature', `the signature does not match this connection’s challenge for this relay at ${origin}`);
    }
  }

  async register(frame: Frame<'register'>): Promise<ResultData['register']> {
    this.checkSignature(frame.identityKey, frame.signature);
    if (!verifyCertificate(frame.identityKey, frame.certificate, frame.accountKey)) {
      throw new RequestError('bad_certificate', 'the device certificate is not signed by the account key');
    }
    checkPreKeys(frame.identityKey, frame.preKeys);
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
    this.becomeReady({ device: frame.identityKey, username: frame.username });
    void presence.connected(this.session, false);
    return { username: frame.username, identityKey: frame.identityKey };
  }

  async auth(frame: Frame<'auth'>): Promise<ResultData['auth']> {
    const { stores, presence, now, queueTtlMs, blobs } = this.session.deps;
    const device = await stores.accounts.deviceByKey(frame.identityKey);
    if (!device) throw new RequestError('unknown_device', 'no account has this device key');
    this.checkSignature(frame.identityKey, frame.signature);
    const { expired, refused } = await stores.queues.takeMissed(device.identityKey, now() - queueTtlMs);
    const oneTimePreKeys = await stores.preKeys.preKeyCount(device.identityKey);
    this.becomeReady({ device: device.identityKey, username: device.username });
    void presence.connected(this.session, frame.hidden ?? false, frame.away ? 'away' : 'online');
    return { username: device.username, identityKey: device.identityKey, expired, refused, oneTimePreKeys, attachmentMaxBytes: blobs.maxBytes };
  }
}
