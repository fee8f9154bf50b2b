// Double Ratchet sessions with other devices, one table row each. Every method runs inside the
// caller's transaction, so a session's new state is stored together with what it decrypted (or
// before what it encrypted is sent): a key is never used twice and a message never lost to a crash.
// Its table is made by the history's numbered migrations (core/migrations/).
import type Database from 'better-sqlite3-multiple-ciphers';
import { fromB64, toB64, type IdentityKeyPair } from '../../shared/crypto.js';
import { decodeState, encodeState } from '../../shared/e2e/codec.js';
import { generateDhKeyPair } from '../../shared/e2e/primitives.js';
import { initAlice, initBob, ratchetDecrypt, ratchetEncrypt, type RatchetState } from '../../shared/e2e/ratchet.js';
import { x3dhInitiate, x3dhRespond } from '../../shared/e2e/x3dh.js';
import { PreKeyHeader, type Bundle, type Sealed } from '../../shared/protocol.js';
import type { PreKeyStore } from './prekeys.js';

/** Sessions kept per device: a newer one (both sides started at once, a resend) does not strand messages of an older. */
const SESSIONS_PER_DEVICE = 5;
/** Decoded states kept in memory, the most recently used first to stay. */
const DECODED_STATES = 256;

interface Row {
  id: number;
  device: string;
  state: string;
  ad: string;
  prekey: string | null;
  base_key: string | null;
}

export class DecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptError';
  }
}

export class SessionStore {
  private readonly q;
  /**
   * The state each row was last decoded from or encoded to, with its text: decoding a stored state
   * (JSON, schema, base64) was a tenth of draining a backlog. Keyed by the exact stored text, so a
   * rolled-back write, or a row changed any other way, is decoded afresh; states are never changed
   * in place (the ratchet returns new ones), so sharing one is safe.
   */
  private readonly decoded = new Map<number, { text: string; state: RatchetState }>();

  constructor(
    db: Database.Database,
    private readonly identity: IdentityKeyPair,
    private readonly preKeys: PreKeyStore,
  ) {
    this.q = {
      newest: db.prepare('SELECT * FROM sessions WHERE device = ? ORDER BY used_at DESC, id DESC LIMIT 1'),
      all: db.prepare('SELECT * FROM sessions WHERE device = ? ORDER BY used_at DESC, id DESC'),
      byBase: db.prepare('SELECT * FROM sessions WHERE device = ? AND base_key = ?'),
      insert: db.prepare('INSERT INTO sessions (device, state, ad, prekey, base_key, used_at) VALUES (?, ?, ?, ?, ?, ?)'),
      update: db.prepare('UPDATE sessions SET state = ?, prekey = ?, used_at = ? WHERE id = ?'),
      updateState: db.prepare('UPDATE sessions SET state = ? WHERE id = ?'),
      trim: db.prepare(
        `DELETE FROM sessions WHERE device = @device AND id NOT IN
           (SELECT id FROM sessions WHERE device = @device ORDER BY used_at DESC, id DESC LIMIT ${SESSIONS_PER_DEVICE})`,
      ),
      forget: db.prepare('DELETE FROM sessions WHERE device = ?'),
    };
  }

  has(device: string): boolean {
    return this.q.newest.get(device) !== undefined;
  }

  /** Starts a session from the device's prekey bundle (X3DH as initiator); throws when its signature does not verify. */
  start(bundle: Bundle, now: number): void {
    const ephemeral = generateDhKeyPair();
    const x = x3dhInitiate(
      { identityPublic: fromB64(this.identity.publicKey), identitySecret: fromB64(this.identity.secretKey) },
      {
        identityKey: fromB64(bundle.device),
        signedPreKey: { id: bundle.signedPreKey.id, publicKey: fromB64(bundle.signedPreKey.publicKey), signature: fromB64(bundle.signedPreKey.signature) },
        ...(bundle.oneTimePreKey ? { oneTimePreKey: { id: bundle.oneTimePreKey.id, publicKey: fromB64(bundle.oneTimePreKey.publicKey) } } : {}),
      },
      ephemeral,
    );
    const state = initAlice(x.sharedKey, fromB64(bundle.signedPreKey.publicKey));
    const prekey: PreKeyHeader = {
      ephemeralKey: toB64(x.ephemeralPublic),
      signedPreKeyId: bundle.signedPreKey.id,
      oneTimePreKeyId: x.oneTimePreKeyId,
    };
    this.insert(bundle.device, state, x.associatedData, JSON.stringify(prekey), null, now);
  }

  /** Encrypts with the device's newest session and stores its new state. */
  encrypt(device: string, plaintext: Uint8Array): Sealed {
    const row = this.q.newest.get(device) as Row | undefined;
    if (!row) throw new Error(`no session with device ${device}`);
    const { state, message } = ratchetEncrypt(this.stateOf(row), plaintext, fromB64(row.ad));
    this.q.updateState.run(this.encode(row.id, state), row.id);
    const sealed: Sealed = { kind: 'ratchet', body: toB64(message) };
    return row.prekey ? { ...sealed, preKey: PreKeyHeader.parse(JSON.parse(row.prekey)) } : sealed;
  }

  /**
   * Decrypts a message from a device: with the session it belongs to, or a new one when it starts
   * one (X3DH as responder). Nothing changes unless the message authenticates.
   */
  decrypt(device: string, sealed: Extract<Sealed, { kind: 'ratchet' }>, now: number): Uint8Array {
    let message: Uint8Array;
    try {
      message = fromB64(sealed.body);
    } catch {
      throw new DecryptError('the message is not valid base64');
    }
    if (sealed.preKey) {
      const existing = this.q.byBase.get(device, sealed.preKey.ephemeralKey) as Row | undefined;
      if (existing) return this.decryptWith(existing, message, now);
      return this.respond(device, sealed.preKey, message, now);
    }
    for (const row of this.q.all.all(device) as Row[]) {
      try {
        return this.decryptWith(row, message, now);
      } catch {
        // Not this session's message; an older session may hold it.
      }
    }
    throw new DecryptError('no session with this device decrypts the message');
  }

  /** Forgets every session with a device (it was removed, or its account was reset). */
  forget(device: string): void {
    this.q.forget.run(device);
  }

  private decryptWith(row: Row, message: Uint8Array, now: number): Uint8Array {
    let result: { state: RatchetState; plaintext: Uint8Array };
    try {
      result = ratchetDecrypt(this.stateOf(row), message, fromB64(row.ad), now);
    } catch (err) {
      throw new DecryptError((err as Error).message);
    }
    // The other device answered in this session: it has it, so the X3DH header can go.
    this.q.update.run(this.encode(row.id, result.state), null, now, row.id);
    return result.plaintext;
  }

  private respond(device: string, header: PreKeyHeader, message: Uint8Array, now: number): Uint8Array {
    const signedPreKey = this.preKeys.signed(header.signedPreKeyId);
    if (!signedPreKey) throw new DecryptError('the message names a signed prekey this device no longer has');
    const oneTimePreKey = header.oneTimePreKeyId === null ? undefined : this.preKeys.oneTime(header.oneTimePreKeyId);
    if (header.oneTimePreKeyId !== null && !oneTimePreKey) throw new DecryptError('the message names a one-time prekey already used');
    let x: { sharedKey: Uint8Array; associatedData: Uint8Array };
    let result: { state: RatchetState; plaintext: Uint8Array };
    try {
      // Inside the try: a header's keys come from the network and may not even decode.
      x = x3dhRespond(
        {
          identityPublic: fromB64(this.identity.publicKey),
          identitySecret: fromB64(this.identity.secretKey),
          signedPreKey,
          ...(oneTimePreKey ? { oneTimePreKey } : {}),
        },
        fromB64(device),
        fromB64(header.ephemeralKey),
      );
      result = ratchetDecrypt(initBob(x.sharedKey, signedPreKey), message, x.associatedData, now);
    } catch (err) {
      throw new DecryptError((err as Error).message);
    }
    if (header.oneTimePreKeyId !== null) this.preKeys.useOneTime(header.oneTimePreKeyId);
    this.insert(device, result.state, x.associatedData, null, header.ephemeralKey, now);
    return result.plaintext;
  }

  private stateOf(row: Row): RatchetState {
    const known = this.decoded.get(row.id);
    if (known?.text === row.state) return known.state;
    const state = decodeState(row.state);
    this.remember(row.id, row.state, state);
    return state;
  }

  private encode(id: number, state: RatchetState): string {
    const text = encodeState(state);
    this.remember(id, text, state);
    return text;
  }

  private remember(id: number, text: string, state: RatchetState): void {
    this.decoded.delete(id);
    this.decoded.set(id, { text, state });
    if (this.decoded.size > DECODED_STATES) this.decoded.delete(this.decoded.keys().next().value!);
  }

  private insert(device: string, state: RatchetState, ad: Uint8Array, prekey: string | null, baseKey: string | null, now: number): void {
    this.q.insert.run(device, encodeState(state), toB64(ad), prekey, baseKey, now);
    this.q.trim.run({ device });
  }
}
