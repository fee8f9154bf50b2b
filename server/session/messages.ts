// Sending and acking: a stored message is queued per device until each acks it; an ephemeral one
// (typing) goes to the devices online now and is never stored.
import type { AccountDevices, ResultData } from '../../shared/protocol.js';
import { RequestError, accountOf, spendEphemeral, type Frame, type SessionContext } from './context.js';

export class Messages {
  /**
   * The last message this connection stored (or found stored already). A send on its way behind
   * others names the one sent just before it, which is this one unless that send was refused: the
   * refused ones are not stored, and a client sends nothing else between.
   */
  private lastStored: string | undefined;

  constructor(private readonly session: SessionContext) {}

  async send(frame: Frame<'send'>): Promise<ResultData['send']> {
    const me = this.session.requireIdentity();
    const { stores, registry, now, budgets, queueLimits } = this.session.deps;
    // Frames are handled in arrival order, so the one named is settled by now: a send that was
    // refused (a budget, a device list, a full queue) stops those sent behind it from overtaking it.
    if (frame.after !== undefined && !frame.ephemeral && frame.after !== this.lastStored) {
      throw new RequestError('out_of_order', 'the message sent before this one was not stored: send that one first');
    }
    // Charged before any work: a flood costs its author, and the client's outbox retries later.
    if (frame.ephemeral) {
      await spendEphemeral(this.session);
    } else if (!(await budgets.sendsPerSecond.take(me.device, 1, now())) || !(await budgets.sendsPerDay.take(me.device, 1, now()))) {
      throw new RequestError('rate_limited', 'too many messages from this device: slow down');
    }
    const recipients = [...new Set(frame.recipients)];
    const accounts: Record<string, AccountDevices> = {};
    for (const username of new Set([...recipients, me.username])) {
      const account = await accountOf(stores, username);
      accounts[username] = { ...account, devices: account.devices.filter((d) => d.key !== me.device) };
    }
    const ownerOf = new Map(Object.entries(accounts).flatMap(([username, a]) => a.devices.map((d) => [d.key, username] as const)));
    const expected = new Set(ownerOf.keys());
    const given = new Set(frame.envelopes.map((e) => e.device));
    const distinct = given.size === frame.envelopes.length;
    const exact = frame.partial
      ? distinct && given.size > 0 && [...given].every((d) => expected.has(d))
      : distinct && given.size === expected.size && [...given].every((d) => expected.has(d));
    if (!exact) {
      throw new RequestError('device_mismatch', 'the message must be sealed for exactly the current devices', { accounts });
    }
    // A stored message is a ratchet message; only what is never stored may use the static box.
    if (frame.envelopes.some((e) => (e.sealed.kind === 'box') !== (frame.ephemeral === true))) {
      throw new RequestError('bad_frame', 'ephemeral frames are sealed as boxes, stored messages with the ratchet');
    }
    if (frame.ephemeral) {
      const from = { username: me.username, device: me.device };
      for (const e of frame.envelopes) {
        registry.toDevice(e.device, { type: 'ephemeral', messageId: frame.messageId, from, sealed: e.sealed });
      }
      return { messageId: frame.messageId, serverTime: now(), duplicate: false };
    }
    const result = await stores.queues.storeMessage({
      messageId: frame.messageId,
      fromUsername: me.username,
      fromDevice: me.device,
      serverTime: now(),
      copies: frame.envelopes.map((e) => ({ device: e.device, owner: ownerOf.get(e.device) ?? me.username, sealed: JSON.stringify(e.sealed) })),
    }, queueLimits);
    if (!result.stored && !result.duplicate) {
      const [username] = result.full;
      throw new RequestError('queue_full', `the relay holds as many messages for "${username}" as it may: try again once they have been online`, {
        params: { username: username ?? '' },
      });
    }
    this.lastStored = frame.messageId;
    if (result.stored) {
      registry.deliver(result.queued);
      const withheld = new Set(frame.withholdPresence);
      await this.introduce(me.username, recipients.filter((r) => !withheld.has(r)));
    }
    return { messageId: frame.messageId, serverTime: result.serverTime, duplicate: !result.stored };
  }

  /**
   * Records whom `writer` wrote to for the first time, so they see its presence from now on. The
   * message is stored already: a failure here is logged, never turned into an error for the send.
   */
  private async introduce(writer: string, recipients: string[]): Promise<void> {
    const { stores, presence, log } = this.session.deps;
    try {
      const firstTime = await stores.presence.notWrittenTo(writer, recipients);
      if (firstTime.length > 0) {
        await stores.presence.addContacts(writer, firstTime);
        await presence.introduced(writer, firstTime);
      }
    } catch (err) {
      log.warn({ err }, 'could not record who wrote to whom');
    }
  }

  async ack(frame: Frame<'ack'>): Promise<ResultData['ack']> {
    const me = this.session.requireIdentity();
    const { stores, registry, now } = this.session.deps;
    const { removed, queued } = await stores.queues.ack(me.device, frame.seqs, now(), new Set(frame.noReceipt));
    registry.deliver(queued);
    return { removed };
  }
}
