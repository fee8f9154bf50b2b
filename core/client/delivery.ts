// Sealing one outbox entry for every device it goes to, and handing it to the relay: the devices'
// lists, X3DH for the ones without a session, one ratchet message per device.
import type { Logger } from 'pino';
import type { DeviceBox } from '../../shared/crypto.js';
import { MAX_FRAME_BYTES, type SealedEnvelope } from '../../shared/protocol.js';
import { type PayloadBody } from '../../shared/payload.js';
import type { History, OutboxEntry } from '../history.js';
import type { Directory } from '../e2e/directory.js';
import type { IdentityStore } from '../e2e/identities.js';
import type { SessionStore } from '../e2e/sessions.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';

const utf8 = new TextEncoder();

/** The plaintext every device of the recipients decrypts: the payload with its id, author and time. */
export function encodePayload(from: string, body: PayloadBody, messageId: string, sentAt: number): string {
  return JSON.stringify({ v: 1, messageId, from, sentAt, ...body });
}

export interface DeliverOptions {
  /** Typing and the like: sealed as a box, forwarded to the devices online now, never stored. */
  ephemeral?: boolean;
  /** The message sent just before on this connection, which the relay must have stored before this one. */
  after?: string;
  /** Called once the frame is on its way, so the next entry can follow it on the same connection. */
  dispatched?: () => void;
}

export interface DeliveryDeps {
  me: string;
  deviceKey: string;
  history: History;
  sessions: SessionStore;
  identities: IdentityStore;
  directory: Directory;
  box: DeviceBox;
  relay: Pick<RelayConnection, 'request'>;
  /** People this account blocks: a message that also goes to them (a group's) does not show them its presence. */
  isBlocked(username: string): boolean;
  log: Logger;
}

export class Delivery {
  constructor(private readonly d: DeliveryDeps) {}

  /**
   * Seals the entry for every target device and sends it; null when there is nobody to send to.
   * The ratchets' new states are committed before the frame leaves: a crash can waste a key, never reuse one.
   */
  async deliver(entry: OutboxEntry, opts: DeliverOptions = {}): Promise<{ serverTime: number; devices: string[] } | null> {
    const { history, sessions } = this.d;
    for (let attempt = 0; ; attempt++) {
      const targets = await this.targetsOf(entry);
      // Checked on every attempt: the device list of the last refusal may carry a new key.
      const held = entry.recipients.find((r) => this.d.identities.get(r)?.held);
      if (held) {
        throw new RelayError('identity_changed', `${held}'s safety number changed after you verified it: compare the new one before sending`, undefined, {
          username: held,
        });
      }
      if (targets.size === 0) {
        // Only this account's own devices, and there are no others (or the one asked for is gone): nothing to send.
        if (entry.device !== null || entry.recipients.every((r) => r === this.d.me)) return null;
      }
      let envelopes: SealedEnvelope[];
      if (opts.ephemeral) {
        envelopes = [...targets.keys()].map((device) => ({ device, sealed: { kind: 'box', ...this.d.box.seal(entry.payload, device) } }));
      } else {
        await this.startSessions(targets, entry.fresh ? entry.device : null);
        const plaintext = utf8.encode(entry.payload);
        // Committed (crash-safe) before the frame leaves, without an fsync of its own: should a power
        // cut undo it, the entry is still the outbox head and is sealed again with the same keys for
        // the same plaintext (the same ciphertext), so no key ever covers two different messages.
        envelopes = history.batch(() =>
          [...targets.keys()]
            .filter((device) => sessions.has(device))
            .map((device) => ({ device, sealed: sessions.encrypt(device, plaintext) })),
        );
      }
      // One sealed copy per device: a long text to many devices can outgrow a frame. Say so, don't retry.
      if (JSON.stringify(envelopes).length + 1024 > MAX_FRAME_BYTES) {
        throw new RelayError('too_large', `the message is too long to send to ${envelopes.length} devices`);
      }
      try {
        const answer = this.d.relay.request({
          type: 'send',
          messageId: entry.messageId,
          recipients: entry.recipients,
          envelopes,
          ...(opts.ephemeral ? { ephemeral: true } : {}),
          ...(entry.device !== null ? { partial: true } : {}),
          ...(opts.after !== undefined ? { after: opts.after } : {}),
          ...this.withheld(entry.recipients),
        });
        opts.dispatched?.();
        const result = await answer;
        return { serverTime: result.serverTime, devices: envelopes.map((e) => e.device) };
      } catch (err) {
        const accounts = err instanceof RelayError && err.code === 'device_mismatch' ? err.frame?.accounts : undefined;
        if (!accounts || attempt >= 2) throw err;
        for (const [username, account] of Object.entries(accounts)) {
          // The relay leaves out the sending device from this account's list; it is one of them all the same.
          this.d.directory.accept(username, account);
        }
      }
    }
  }

  private withheld(recipients: string[]): { withholdPresence?: string[] } {
    const blocked = recipients.filter((r) => this.d.isBlocked(r));
    return blocked.length > 0 ? { withholdPresence: blocked } : {};
  }

  /** The devices an entry is sealed for: every certified device of its recipients and of this account, or the one it names. */
  private async targetsOf(entry: OutboxEntry): Promise<Map<string, string>> {
    const targets = new Map<string, string>();
    for (const username of new Set([...entry.recipients, this.d.me])) {
      for (const device of (await this.d.directory.devices(username)).devices) targets.set(device, username);
    }
    targets.delete(this.d.deviceKey);
    if (entry.device === null) return targets;
    const owner = targets.get(entry.device);
    return owner ? new Map([[entry.device, owner]]) : new Map();
  }

  /** Starts sessions (X3DH) with the devices that have none yet, one bundles request per account. */
  private async startSessions(targets: Map<string, string>, fresh: string | null): Promise<void> {
    const { history, sessions, log } = this.d;
    const missing = new Map<string, string[]>();
    for (const [device, username] of targets) {
      if (device !== fresh && sessions.has(device)) continue;
      missing.set(username, [...(missing.get(username) ?? []), device]);
    }
    await Promise.all(
      [...missing].map(async ([username, devices]) => {
        for (let i = 0; i < devices.length; i += 64) {
          const { bundles } = await this.d.relay.request({ type: 'bundles', username, devices: devices.slice(i, i + 64) });
          history.batch(() => {
            for (const bundle of bundles) {
              if (!targets.has(bundle.device)) continue;
              try {
                sessions.start(bundle, Date.now());
              } catch (err) {
                log.warn({ err, username }, 'refusing a prekey bundle whose signature does not verify');
              }
            }
          });
        }
      }),
    );
  }
}
