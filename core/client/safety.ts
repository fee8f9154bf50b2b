// Trust in contacts' keys: safety numbers to compare, verification, and a line in every
// conversation with a contact whose account key changed.
import { fromB64 } from '../../shared/crypto.js';
import { safetyNumber, safetyQrPayload } from '../../shared/e2e/safety.js';
import { Username } from '../../shared/protocol.js';
import type { ChatMessage, SafetyInfo } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import type { Directory } from '../e2e/directory.js';
import type { IdentityStore } from '../e2e/identities.js';
import { RelayError } from '../relay/error.js';
import type { Conversations } from './conversations.js';
import type { Emit } from './events.js';

export interface SafetyDeps {
  me: { username: string; accountKey: string };
  history: History;
  identities: IdentityStore;
  directory: Pick<Directory, 'devices'>;
  conversations: Pick<Conversations, 'announce'>;
  emit: Emit;
}

export class Safety {
  constructor(private readonly d: SafetyDeps) {}

  /** The safety number with a contact: the same 60 digits on both sides when nobody sits between them. */
  async get(username: string): Promise<SafetyInfo> {
    const peer = Username.parse(username);
    if (peer === this.d.me.username) throw new RelayError('own_account', 'a safety number is between you and someone else');
    if (!this.d.identities.get(peer)) await this.d.directory.devices(peer, true);
    return this.info(peer);
  }

  /** `compared`: the number the person looked at; verifying fails when the key changed since. */
  async setVerified(username: string, verified: boolean, compared?: string): Promise<SafetyInfo> {
    const info = await this.get(username);
    if (verified && compared !== info.safetyNumber) {
      throw new RelayError('safety_number_changed', `the safety number with ${info.username} changed: compare the new one`, undefined, { username: info.username });
    }
    this.d.identities.setVerified(info.username, verified);
    const updated = this.info(info.username);
    this.d.emit('safety', updated);
    return updated;
  }

  /** A contact's account key changed: every conversation with them says so, where it can be seen. */
  identityChanged(username: string): void {
    const { history } = this.d;
    const at = Date.now();
    const lines = history.batch(() =>
      history
        .conversations()
        .filter((c) => (c.kind === 'direct' ? c.id === username : c.active && c.members.includes(username)))
        .map((c) => {
          const line: ChatMessage = {
            id: newId(),
            conversationId: c.id,
            sender: username,
            outgoing: false,
            kind: 'identity-changed',
            text: '',
            event: null,
            sentAt: at,
            serverTime: at,
            state: 'delivered',
          };
          history.addMessage(line, { read: true, fromRelay: false });
          return line;
        }),
    );
    for (const line of lines) this.d.conversations.announce(line);
    this.d.emit('safety', this.info(username));
  }

  private info(peer: string): SafetyInfo {
    const pinned = this.d.identities.get(peer);
    if (!pinned) throw new RelayError('unknown_recipient', `no identity known for ${peer}`, undefined, { username: peer });
    const number = safetyNumber(
      { username: this.d.me.username, accountKey: fromB64(this.d.me.accountKey) },
      { username: peer, accountKey: fromB64(pinned.accountKey) },
    );
    return { username: peer, safetyNumber: number, qrPayload: safetyQrPayload(number), verified: pinned.verified, changedAt: pinned.changedAt };
  }
}
