// The push API's users (as ntfy's): passwords, access tokens, and per-topic rules.

export type PushRole = 'admin' | 'user';
/** A rule's permission, as ntfy names them; a list so the push API's config parses it (push/access.ts). */
export const PUSH_PERMISSIONS = ['read-write', 'read-only', 'write-only', 'deny'] as const;
export type PushPermission = (typeof PUSH_PERMISSIONS)[number];

export interface PushUserStore {
  /** A push API user, with its password hash (Argon2id string). */
  pushUser(name: string): Promise<{ name: string; role: PushRole; passwordHash: string } | undefined>;
  /** The user an access token (by its hash) belongs to, unless it expired. */
  pushUserByToken(tokenHash: string, nowS: number): Promise<{ name: string; role: PushRole } | undefined>;
  /** A user's (or everyone's, '*') per-topic rules. */
  pushRules(name: string): Promise<{ topic: string; permission: PushPermission }[]>;
  /** Adds a user, or changes its password and role. */
  savePushUser(name: string, passwordHash: string, role: PushRole): Promise<void>;
  /** Deletes a user with its tokens and rules; false when there is none. */
  removePushUser(name: string): Promise<boolean>;
  addPushToken(name: string, tokenHash: string, label: string, expiresS: number | null): Promise<void>;
  /** Sets the rule for a user (or '*') and topic (or topic prefix ending in *). */
  setPushRule(name: string, topic: string, permission: PushPermission): Promise<void>;
}
