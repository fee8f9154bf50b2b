// The relay's signing key, trusted on first use: pushes must carry its signature, and this device
// signs logins only for it (a login signature names the relay key). A relay that presents another
// key (restored from an old backup, or another relay at the same address) is not logged in to
// until the person has seen the new key's fingerprint and chosen to trust it.
import type { Logger } from 'pino';
import { relayKeyFingerprint } from '../../shared/relay-key.js';
import type { History } from '../history.js';
import { RelayError } from '../relay/error.js';

/** The history setting the pinned key is kept in (since schema 2: the name is stored data). */
export const RELAY_KEY_SETTING = 'relay.key';

export class RelayKeyPin {
  /** The last key refused, for the person to accept: only the one whose fingerprint they saw. */
  private refused: string | undefined;

  constructor(
    private readonly history: Pick<History, 'setting' | 'setSetting'>,
    private readonly log: Logger,
  ) {}

  /** The key pushes are verified with; undefined before the first login. */
  get key(): string | undefined {
    return this.history.setting(RELAY_KEY_SETTING);
  }

  /** The pinned key's fingerprint, to compare with what the relay's operator publishes. */
  get fingerprint(): string | undefined {
    const key = this.key;
    return key === undefined ? undefined : relayKeyFingerprint(key);
  }

  /** Before a login is signed: undefined to go on, or why not (the relay's key is not the pinned one). */
  check(key: string): RelayError | undefined {
    const pinned = this.key;
    if (pinned === undefined) {
      this.history.setSetting(RELAY_KEY_SETTING, key);
      return undefined;
    }
    if (pinned === key) return undefined;
    this.refused = key;
    const fingerprint = relayKeyFingerprint(key);
    this.log.warn({ fingerprint, pinned: relayKeyFingerprint(pinned) }, 'the relay presents another signing key: not logging in');
    return new RelayError('relay_key_changed', `the relay's key changed: its fingerprint is now ${fingerprint}`, undefined, { fingerprint });
  }

  /**
   * The person trusts the key whose fingerprint they were shown. A key that changed again since
   * (another fingerprint) is not pinned unseen.
   */
  trust(fingerprint: string): void {
    if (this.refused === undefined || relayKeyFingerprint(this.refused) !== fingerprint) {
      throw new RelayError('bad_request', 'this is not the fingerprint of the key the relay presented');
    }
    this.history.setSetting(RELAY_KEY_SETTING, this.refused);
    this.log.info({ fingerprint }, 'trusting the relay’s new signing key');
    this.refused = undefined;
  }
}
