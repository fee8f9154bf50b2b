// The relay's own Ed25519 key: it signs every push, so it must survive restarts and upgrades.

export interface RelayKeyPair {
  publicKey: string;
  secretKey: string;
}

export interface RelayIdentityStore {
  /** The relay's key pair, made by `create` and kept the first time. */
  loadOrCreate(create: () => RelayKeyPair): Promise<RelayKeyPair>;
}
