// This account's devices: approving a new one by its link code, listing them, removing one, and
// handing the others this device's conversations.
import { certifyDevice, linkAccountProof, linkDeviceProof, linkKey, sameProof, sealAccountKey, type IdentityKeyPair } from '../../shared/crypto.js';
import type { DeviceInfo } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { Directory } from '../e2e/directory.js';
import type { SessionStore } from '../e2e/sessions.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import { LINK_CODE_DIGITS } from './account.js';
import type { Outbox } from './outbox.js';
import type { GroupStates } from '../group-states.js';

export interface DevicesDeps {
  me: string;
  deviceKey: string;
  account: IdentityKeyPair;
  history: Pick<History, 'batch' | 'conversations'>;
  /** Its groups' signed states go with them to a new device. */
  groupStates: Pick<GroupStates, 'get'>;
  sessions: Pick<SessionStore, 'forget'>;
  directory: Pick<Directory, 'devices'>;
  relay: Pick<RelayConnection, 'request'>;
  outbox: Pick<Outbox, 'add' | 'flush'>;
  /** Writes to the outbox, for this account's devices, whom it blocks. */
  shareBlocks: () => void;
}

export class Devices {
  constructor(private readonly d: DevicesDeps) {}

  /**
   * Approves the new device showing this code. The code's first 8 digits find the waiting device on
   * the relay; its last 10 never went there, and prove that the key waiting behind it is that
   * device's. Then: certifies the key, hands the device the account key sealed to it alone (with a
   * proof it can check), and sends it this account's conversations.
   */
  async approve(code: string, opts: { share: boolean } = { share: true }): Promise<string> {
    const digits = code.replace(/\D/g, '');
    if (digits.length !== LINK_CODE_DIGITS) throw new RelayError('bad_code', `the code is ${LINK_CODE_DIGITS} digits`, undefined, { digits: LINK_CODE_DIGITS });
    const [linkId, secret] = [digits.slice(0, 8), digits.slice(8)];
    const { identityKey, proof } = await this.d.relay.request({ type: 'link-lookup', linkId });
    const key = linkKey(secret, identityKey);
    if (!sameProof(proof, linkDeviceProof(key, identityKey))) {
      throw new RelayError('link_mismatch', 'the device waiting behind this code is not the one showing it: do not link it');
    }
    const { account } = this.d;
    await this.d.relay.request({
      type: 'link-approve',
      linkId,
      certificate: certifyDevice(identityKey, account.secretKey),
      sealedAccount: sealAccountKey(account.secretKey, identityKey),
      confirmation: linkAccountProof(key, account.publicKey, identityKey),
    });
    await this.d.directory.devices(this.d.me, true);
    if (opts.share) await this.shareConversations();
    return identityKey;
  }

  /** This account's devices, as its account key certifies them. */
  async list(): Promise<DeviceInfo[]> {
    const { devices } = await this.d.directory.devices(this.d.me, true);
    return devices.map((deviceKey) => ({ deviceKey, current: deviceKey === this.d.deviceKey }));
  }

  /** Unlinks another device of this account: the relay drops it and its queue; it gets nothing new. */
  async remove(deviceKey: string): Promise<void> {
    if (deviceKey === this.d.deviceKey) throw new RelayError('this_device', 'this is the device you are using; remove it from another one');
    await this.d.relay.request({ type: 'device-remove', device: deviceKey });
    this.d.history.batch(() => this.d.sessions.forget(deviceKey));
    await this.d.directory.devices(this.d.me, true);
  }

  /** Sends this account's conversations (direct peers, which are requests, groups and their members), and whom it blocks, to its other devices. */
  async shareConversations(): Promise<void> {
    const conversations = this.d.history.conversations();
    this.d.outbox.add([this.d.me], {
      kind: 'contacts',
      direct: conversations.filter((c) => c.kind === 'direct').map((c) => c.id),
      requests: conversations.filter((c) => c.kind === 'direct' && c.request).map((c) => c.id),
      groups: conversations
        .filter((c) => c.kind === 'group' && c.active)
        .map((c) => {
          const state = this.d.groupStates.get(c.id);
          return { id: c.id, name: c.title, members: c.members, ...(state ? { state } : {}) };
        }),
    });
    this.d.shareBlocks();
    await this.d.outbox.flush();
  }
}
