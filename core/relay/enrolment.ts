// A new device introduces itself to the relay over a socket of its own, before it has a session:
// it registers a new account, or asks to be linked to an existing one and waits for the approval.
import { authPayload, certifyDevice, sign, type IdentityKeyPair } from '../../shared/crypto.js';
import { CloseCode, type PreKeyUpload, type SignedPreKey } from '../../shared/protocol.js';
import { RelayError } from './error.js';
import { RelaySocket } from './socket.js';

/** What a device waiting to be linked receives: its account, and the account key sealed to it. */
export interface Linked {
  username: string;
  accountKey: string;
  sealedAccount: string;
  confirmation: string;
}

export type FirstPreKeys = PreKeyUpload & { signedPreKey: SignedPreKey };

/** Registers a new account with its first device and its prekeys; resolves once the relay has stored it. */
export async function registerAccount(
  serverUrl: string,
  username: string,
  keys: { identity: IdentityKeyPair; account: IdentityKeyPair; preKeys: FirstPreKeys },
): Promise<void> {
  const socket = new RelaySocket(serverUrl);
  try {
    const challenge = await socket.challenge;
    const { identity, account } = keys;
    await socket.request({
      type: 'register',
      username,
      identityKey: identity.publicKey,
      signature: sign(authPayload(challenge, identity.publicKey), identity.secretKey),
      accountKey: account.publicKey,
      certificate: certifyDevice(identity.publicKey, account.secretKey),
      preKeys: keys.preKeys,
    });
  } finally {
    socket.ws.close(CloseCode.normal);
  }
}

export interface PendingLink {
  /** The code to enter on a device that has the account. */
  linkId: string;
  expiresAt: number;
  /** Resolves once an existing device approved this one. */
  linked: Promise<Linked>;
  cancel(): void;
}

/** Asks the relay to link a new device key to an existing account; waits for the approval. */
export async function requestLink(serverUrl: string, identity: IdentityKeyPair, preKeys: FirstPreKeys, proof: string): Promise<PendingLink> {
  let onLinked!: (linked: Linked) => void;
  const socket = new RelaySocket(serverUrl, {
    linked: (frame) =>
      onLinked({ username: frame.username, accountKey: frame.accountKey, sealedAccount: frame.sealedAccount, confirmation: frame.confirmation }),
  });
  const linked = new Promise<Linked>((resolve, reject) => {
    onLinked = resolve;
    socket.ws.once('close', (code, reason) =>
      reject(new RelayError('offline', `the link request ended (${code}${reason.length ? ` ${reason.toString()}` : ''})`)),
    );
  });
  linked.catch(() => undefined);
  try {
    const signature = sign(authPayload(await socket.challenge, identity.publicKey), identity.secretKey);
    const { linkId, expiresAt } = await socket.request({ type: 'link-request', identityKey: identity.publicKey, signature, preKeys, proof });
    void linked.then(() => socket.ws.close(CloseCode.normal), () => undefined);
    return { linkId, expiresAt, linked, cancel: () => socket.ws.close(CloseCode.normal) };
  } catch (err) {
    socket.ws.close(CloseCode.normal);
    throw err;
  }
}
