// A profile folder becomes a device: of a new account, or of an existing one through a link code
// approved on a device that has it. And the profile of a folder that is one already, opened.
import fs from 'node:fs';
import path from 'node:path';
import {
  LINK_SECRET_DIGITS,
  generateIdentity,
  linkAccountProof,
  linkDeviceProof,
  linkKey,
  loadSodium,
  newLinkSecret,
  openAccountKey,
  sameProof,
  type IdentityKeyPair,
} from '../../shared/crypto.js';
import { Username } from '../../shared/protocol.js';
import { History } from '../history.js';
import { HISTORY_FILE, readProfile, readProfileInfo, writeProfile, type Profile } from '../profile.js';
import { PreKeyStore } from '../e2e/prekeys.js';
import { HistoryKey } from '../vault/history-key.js';
import { historyKey, type KeySource } from '../vault/vault.js';
import { registerAccount, requestLink, type FirstPreKeys } from '../relay/enrolment.js';
import { RelayError } from '../relay/error.js';

/** A link code: the relay's 8-digit id of the waiting device, then the secret the relay never sees. */
export const LINK_CODE_DIGITS = 8 + LINK_SECRET_DIGITS;

/** The history key itself, or where to get it (vault/). Default: the key file history.key in the profile folder. */
export type KeyOption = KeySource | HistoryKey | undefined;

/** The key itself, or from its source: a VaultError says plainly why it cannot be had. */
async function resolveKey(dir: string, keys: KeyOption): Promise<HistoryKey> {
  await loadSodium();
  return keys instanceof HistoryKey ? keys : historyKey(dir, keys ?? { kind: 'key-file' });
}

/** The profile in `dir` and the key that opens it; throws when there is none. */
export async function openProfile(dir: string, keys: KeyOption): Promise<{ profile: Profile; key: HistoryKey }> {
  await loadSodium();
  // Before the key: a folder with no profile must not get a key file made for nothing.
  if (!readProfileInfo(dir)) throw new Error(`no Warbler profile in ${dir} (register first)`);
  const key = await resolveKey(dir, keys);
  const profile = readProfile(dir, key);
  if (!profile) throw new Error(`no Warbler profile in ${dir} (register first)`);
  return { profile, key };
}

/** Creates the account and device keys and the first prekeys, registers on the relay, then writes the profile. */
export async function createAccount(dir: string, serverUrl: string, username: string, keys: KeyOption): Promise<HistoryKey> {
  await loadSodium();
  if (readProfileInfo(dir)) throw new Error(`${dir} already holds a Warbler profile`);
  const name = Username.parse(username);
  const key = await resolveKey(dir, keys);
  const identity = generateIdentity();
  const account = generateIdentity();
  const preKeys = firstPreKeys(dir, identity, key);
  await registerAccount(serverUrl, name, { identity, account, preKeys });
  writeProfile(dir, { serverUrl, username: name, identity, account }, key);
  return key;
}

export interface DeviceLink {
  /** The 18-digit code to enter on a device that has the account: 8 to find this device, 10 secret. */
  code: string;
  expiresAt: number;
  /** The key of the profile written once an existing device approved this one. */
  written: Promise<HistoryKey>;
  cancel(): void;
}

/** Asks the relay to link a new device of an existing account; the profile is written once a device that has it approves. */
export async function requestDeviceLink(dir: string, serverUrl: string, keys: KeyOption): Promise<DeviceLink> {
  await loadSodium();
  if (readProfileInfo(dir)) throw new Error(`${dir} already holds a Warbler profile`);
  const storeKey = await resolveKey(dir, keys);
  const identity: IdentityKeyPair = generateIdentity();
  // The code's secret part goes from this screen to the approving device through a person only.
  const secret = newLinkSecret();
  const key = linkKey(secret, identity.publicKey);
  const pending = await requestLink(serverUrl, identity, firstPreKeys(dir, identity, storeKey), linkDeviceProof(key, identity.publicKey));
  return {
    code: pending.linkId + secret,
    expiresAt: pending.expiresAt,
    cancel: pending.cancel,
    written: pending.linked.then((linked) => {
      // Only a device that was given the code can vouch for the account key: not the relay.
      if (!sameProof(linked.confirmation, linkAccountProof(key, linked.accountKey, identity.publicKey))) {
        throw new RelayError('bad_link', 'the account key did not come from a device that was given this code');
      }
      const account = openAccountKey(linked.sealedAccount, identity, linked.accountKey);
      if (!account) throw new RelayError('bad_link', 'the approving device sent an account key that does not open or does not match');
      writeProfile(dir, { serverUrl, username: linked.username, identity, account }, storeKey);
      return storeKey;
    }),
  };
}

/** A new device's first prekeys: the secrets are stored in its history before the public halves go to the relay. */
function firstPreKeys(dir: string, identity: IdentityKeyPair, key: HistoryKey): FirstPreKeys {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const history = new History(path.join(dir, HISTORY_FILE), key);
  try {
    return new PreKeyStore(history.database, identity).initial(Date.now());
  } finally {
    history.close();
  }
}
