// Who may publish to or read a topic, as ntfy's access control: users with passwords or access
// tokens, per-topic rules (a trailing * matches a prefix), and a default for everyone else.
import { createHash, randomInt } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import { z } from 'zod';
import { PUSH_PERMISSIONS, type PushPermission, type PushRole, type PushUserStore } from '../storage/push-user-store.js';
import { HttpError } from './http-error.js';
import { PoolBusyError } from './password-pool.js';

export const Permission = z.enum(PUSH_PERMISSIONS);
export const DefaultAccess = z.enum(['read-write', 'read-only', 'write-only', 'deny-all']);
export type DefaultAccess = z.infer<typeof DefaultAccess>;
/** Whom a rule is for: a user, or everyone (anonymous clients included). */
export const EVERYONE = '*';
export const PushUsername = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a user name is 1–64 letters, digits, "_", "." or "-"');
export const TopicPattern = z.string().regex(/^[-_A-Za-z0-9]{0,64}\*?$/, 'a topic, or a topic prefix ending in *').min(1);
export const MIN_PASSWORD = 8;

export interface PushUser {
  name: string;
  role: PushRole;
}

/** 'unauthorized': the credentials are wrong; 'forbidden': they are right, and do not allow this. */
export class AccessError extends HttpError {
  constructor(code: 'unauthorized' | 'forbidden', message: string) {
    super(code, message);
  }
}

const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** ntfy's token shape: tk_ and 29 random characters. */
export function newToken(): string {
  let token = 'tk_';
  for (let i = 0; i < 29; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

/** Tokens are random enough that a plain hash keeps them safe at rest. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export function hashPassword(password: string): string {
  return sodium.crypto_pwhash_str(password, sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

const grants = (permission: PushPermission | DefaultAccess, need: 'read' | 'write'): boolean =>
  permission === 'read-write' || permission === (need === 'read' ? 'read-only' : 'write-only');

/** The rule for a topic among a user's rules: an exact topic beats a prefix, a longer prefix a shorter. */
function ruleFor(rules: { topic: string; permission: PushPermission }[], topic: string): PushPermission | undefined {
  let best: { length: number; permission: PushPermission } | undefined;
  for (const rule of rules) {
    const exact = rule.topic === topic;
    const prefix = rule.topic.endsWith('*') && topic.startsWith(rule.topic.slice(0, -1));
    if (!exact && !prefix) continue;
    const length = exact ? Number.MAX_SAFE_INTEGER : rule.topic.length;
    if (!best || length > best.length) best = { length, permission: rule.permission };
  }
  return best?.permission;
}

export class AccessControl {
  /** Recently checked passwords (by a hash of user and password): Argon2id on every request would cost too much. */
  private readonly verified = new Map<string, number>();
  private dummyHash: string | undefined;

  /** verifyPassword: Argon2id's check, off the event loop (password-pool.ts). */
  constructor(
    private readonly users: PushUserStore,
    private readonly defaultAccess: DefaultAccess,
    private readonly now: () => number,
    private readonly verifyPassword: (hash: string, password: string) => Promise<boolean>,
  ) {}

  /** The user an Authorization header names; null when there is none; AccessError('unauthorized') when it is wrong. */
  async authenticate(header: string | undefined): Promise<PushUser | null> {
    if (!header) return null;
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer') return this.byToken(value);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new AccessError('unauthorized', 'malformed Basic credentials');
      const [name, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      // ntfy's convention: a token as the password of an empty user name.
      if (name === '' && password.startsWith('tk_')) return this.byToken(password);
      return this.byPassword(name, password);
    }
    throw new AccessError('unauthorized', 'use Authorization: Bearer tk_… or Basic');
  }

  /** Throws AccessError('forbidden') unless the user (or everyone, for null) may read or write every topic. */
  async authorize(user: PushUser | null, topics: string[], need: 'read' | 'write'): Promise<void> {
    if (user?.role === 'admin') return;
    const own = user ? await this.users.pushRules(user.name) : [];
    const everyone = await this.users.pushRules(EVERYONE);
    for (const topic of topics) {
      const permission = ruleFor(own, topic) ?? ruleFor(everyone, topic) ?? this.defaultAccess;
      if (!grants(permission, need)) throw new AccessError('forbidden', `${user ? user.name : 'anonymous'} may not ${need} "${topic}"`);
    }
  }

  private async byToken(token: string): Promise<PushUser> {
    const user = await this.users.pushUserByToken(tokenHash(token), Math.floor(this.now() / 1000));
    if (!user) throw new AccessError('unauthorized', 'unknown or expired token');
    return user;
  }

  private async byPassword(name: string, password: string): Promise<PushUser> {
    const found = await this.users.pushUser(name);
    const cacheKey = createHash('sha256').update(`${name}\n${password}\n${found?.passwordHash ?? ''}`).digest('hex');
    const until = this.verified.get(cacheKey);
    if (found && until !== undefined && until > this.now()) return { name: found.name, role: found.role };
    // Same work and the same answer whether the user exists or the password is wrong.
    this.dummyHash ??= hashPassword(newToken());
    let verifies: boolean;
    try {
      verifies = await this.verifyPassword(found?.passwordHash ?? this.dummyHash, password);
    } catch (err) {
      if (err instanceof PoolBusyError) throw new HttpError('rate_limited', 'too many password checks at once: try again shortly');
      throw err;
    }
    if (!found || !verifies) throw new AccessError('unauthorized', 'wrong user name or password');
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(cacheKey, this.now() + 5 * 60_000);
    return { name: found.name, role: found.role };
  }
}
