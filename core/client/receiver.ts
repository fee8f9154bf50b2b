// One envelope from the relay, inside the inbox's transaction: a delivery receipt, or a message
// from a certified device, decrypted once; one that does not decrypt leaves a placeholder.
import type { Logger } from 'pino';
import type { EnvelopeFrame } from '../../shared/protocol.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { Directory } from '../e2e/directory.js';
import type { Ledger } from '../e2e/ledger.js';
import { DecryptError, type SessionStore } from '../e2e/sessions.js';
import { directConversation } from './conversations.js';
import { parsePayload, type Outcome, type Payloads } from './payloads.js';
import type { Resends } from './resends.js';
import type { People } from './people.js';

export interface ReceiverDeps {
  me: string;
  history: History;
  ledger: Ledger;
  sessions: SessionStore;
  directory: Pick<Directory, 'knows'>;
  resends: Pick<Resends, 'request'>;
  payloads: Pick<Payloads, 'receive'>;
  people: Pick<People, 'isBlocked' | 'started'>;
  log: Logger;
}

export class Receiver {
  constructor(private readonly d: ReceiverDeps) {}

  /** What changed, if anything. Runs inside a history transaction. */
  receive(frame: EnvelopeFrame): Outcome[] {
    const { history, ledger, log } = this.d;
    if (frame.kind === 'delivered') {
      // Only a receipt from a member of the conversation counts, and only for our own message.
      const mine = history.message(frame.messageId);
      if (!mine?.outgoing || !history.members(mine.conversationId)?.includes(frame.from.username)) return [];
      const advanced = history.advance(frame.messageId, 'delivered');
      return advanced ? [{ message: advanced, isNew: false }] : [];
    }
    const { from } = frame;
    // Redelivered (the ack was lost): its keys are used up, and what it said is stored already.
    if (ledger.wasReceived(from.device, frame.messageId)) return [];
    if (!this.d.directory.knows(from.username, from.device)) {
      log.warn({ from: from.username }, 'dropping a message from a device its account does not certify');
      return [];
    }
    if (frame.sealed.kind !== 'ratchet') return this.undecryptable(frame, 'not a ratchet message');
    let plain: Uint8Array;
    try {
      plain = this.d.sessions.decrypt(from.device, frame.sealed, Date.now());
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err;
      return this.undecryptable(frame, err.message);
    }
    // Only now: garbage sent ahead under a real message's id must not make the real one look seen.
    ledger.received(from.device, frame.messageId, Date.now());
    const payload = parsePayload(plain, frame, log);
    return payload ? this.d.payloads.receive(payload, frame.serverTime, from.device) : [];
  }

  /**
   * A message that does not decrypt is never dropped in silence: a placeholder shows where it
   * belongs (with its sender), and the sending device is asked, over a fresh session, to send it again.
   */
  private undecryptable(frame: Extract<EnvelopeFrame, { kind: 'message' }>, reason: string): Outcome[] {
    // A blocked person is asked for nothing (a request would go to them), and shows no placeholder.
    if (this.d.people.isBlocked(frame.from.username)) return [];
    if (!this.d.resends.request(frame, reason)) return [];
    if (frame.from.username === this.d.me) return [];
    const peer = frame.from.username;
    const known = this.d.history.members(peer) !== undefined;
    this.d.history.ensureConversation(directConversation(this.d.me, peer), frame.serverTime);
    if (!known) this.d.people.started(peer, peer);
    const placeholder: ChatMessage = {
      id: frame.messageId,
      conversationId: peer,
      sender: peer,
      outgoing: false,
      kind: 'undecryptable',
      text: '',
      event: null,
      sentAt: frame.serverTime,
      serverTime: frame.serverTime,
      state: 'delivered',
    };
    return this.d.history.addMessage(placeholder, { read: false, fromRelay: true }) ? [{ message: placeholder, isNew: true }] : [];
  }
}
