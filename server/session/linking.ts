// Device linking over a session: a new device waits with a code (link-request); a logged-in device
// of the account looks the code up and approves it, certifying the new device.
import { CloseCode, type ResultData } from '../../shared/protocol.js';
import { certificatePayload } from '../../shared/crypto.js';
import type { PendingLink } from '../links.js';
import { RequestError, accountOf, checkPreKeys, type Frame, type SessionContext } from './context.js';
import type { Login } from './login.js';

/** A device waiting to be linked keeps its socket open this long. */
const LINK_WAIT_MS = 10 * 60_000;
/** Wrong link codes a session may try before it is closed (codes are 8 digits). */
const MAX_LINK_FAILURES = 5;

export class Linking {
  /** The device key this session waits to have linked. */
  private waitingKey: string | undefined;
  private failures = 0;

  constructor(
    private readonly session: SessionContext,
    private readonly login: Login,
  ) {}

  /** This session is a new device waiting for its code to be entered. */
  get waiting(): boolean {
    return this.waitingKey !== undefined;
  }

  /** The socket closed: a code nobody can be told about any more is dropped. */
  closed(): void {
    if (this.waitingKey) this.session.deps.links.cancel(this.waitingKey);
  }

  async request(frame: Frame<'link-request'>): Promise<ResultData['link-request']> {
    await this.login.checkSignature(frame.identityKey, frame.signature);
    await checkPreKeys(this.session, frame.identityKey, frame.preKeys);
    const { stores, links, now } = this.session.deps;
    if (await stores.accounts.deviceByKey(frame.identityKey)) {
      throw new RequestError('device_exists', 'this device key is already registered');
    }
    if (this.waitingKey) links.cancel(this.waitingKey);
    this.waitingKey = undefined;
    const link = await links.create(
      {
        identityKey: frame.identityKey,
        address: this.session.address,
        preKeys: frame.preKeys,
        proof: frame.proof,
        notify: (linked) => {
          this.waitingKey = undefined;
          this.session.sendFrame({ type: 'linked', ...linked });
        },
      },
      now(),
    );
    if (!link) throw new RequestError('rate_limited', 'too many devices are waiting to be linked from this address: try again later');
    // The socket closed while the code was made: nobody could be told of an approval.
    if (this.session.closed) {
      links.cancel(frame.identityKey);
      return link;
    }
    this.waitingKey = frame.identityKey;
    setTimeout(() => {
      if (this.waitingKey === frame.identityKey) this.session.close(CloseCode.timedOut, 'the link code expired');
    }, LINK_WAIT_MS).unref();
    return link;
  }

  async lookup(frame: Frame<'link-lookup'>): Promise<ResultData['link-lookup']> {
    const me = this.session.requireIdentity();
    const link = await this.pendingLink(frame.linkId, me.username, false);
    return { identityKey: link.identityKey, proof: link.proof };
  }

  async approve(frame: Frame<'link-approve'>): Promise<ResultData['link-approve']> {
    const me = this.session.requireIdentity();
    const { stores, now } = this.session.deps;
    const account = await accountOf(stores, me.username);
    const waiting = await this.pendingLink(frame.linkId, me.username, false);
    if (!(await this.session.deps.signatures.check(certificatePayload(waiting.identityKey), frame.certificate, account.accountKey))) {
      throw new RequestError('bad_certificate', 'the certificate is not this account’s for the waiting device');
    }
    const link = await this.pendingLink(frame.linkId, me.username, true);
    const added = await stores.accounts.addDevice(
      me.username,
      { identityKey: link.identityKey, certificate: frame.certificate, preKeys: link.preKeys },
      now(),
    );
    if (!added.ok) throw new RequestError('device_exists', 'this device key is already registered');
    link.notify({ username: me.username, accountKey: account.accountKey, sealedAccount: frame.sealedAccount, confirmation: frame.confirmation });
    return { identityKey: link.identityKey };
  }

  /** The waiting link behind a code a person typed; wrong codes count towards the limits. */
  private async pendingLink(linkId: string, username: string, take: boolean): Promise<PendingLink> {
    const { links, budgets, now } = this.session.deps;
    const { address } = this.session;
    const at = now();
    const blocked = (await budgets.linkFailuresPerAccount.left(username, at)) < 1 || (await budgets.linkFailuresPerAddress.left(address, at)) < 1;
    if (this.failures >= MAX_LINK_FAILURES || blocked) {
      throw new RequestError('rate_limited', 'too many wrong link codes: wait a few minutes');
    }
    const link = await (take ? links.take(linkId, at) : links.peek(linkId, at));
    if (!link) {
      this.failures += 1;
      await Promise.all([budgets.linkFailuresPerAccount.take(username, 1, at), budgets.linkFailuresPerAddress.take(address, 1, at)]);
      throw new RequestError('unknown_link', 'no device is waiting with this code (it may have expired)');
    }
    return link;
  }
}
