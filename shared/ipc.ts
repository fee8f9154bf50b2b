// The one IPC contract between the renderer and the process that runs core/.
// Implemented twice: Electron (preload → ipcMain) and the web host (browser shim → loopback WebSocket).
import { z } from 'zod';
import { MAX_RECIPIENTS, MessageText, PresenceState, Username } from './protocol.js';
import { GroupId, GroupName } from './payload.js';
import { isLoopbackHost } from './urls.js';
import { DesktopSettings, DesktopSettingsPatch, ShellCapabilities } from './desktop-settings.js';
import { IpcError } from './errors.js';
import { MAX_ATTACHMENTS, StagedId, type StageOptions } from './attachment.js';
import { attachmentChannels, attachmentEvents, type StageSource } from './ipc-attachments.js';
import { pushChannels, pushEvents } from './ipc-pushes.js';
import { ChatMessage, Conversation, ConversationId, messageChannels } from './ipc-messages.js';
import { peopleChannels, peopleEvents } from './ipc-people.js';

export { PushItem, PushSubscription, PushTopic } from './ipc-pushes.js';
export { ChatMessage, Conversation, ConversationId, GroupEvent, MessageState, Reaction, SearchHit, SearchQuery, MessageVersion, TimerChange } from './ipc-messages.js';

export const ConnectionState = z.enum(['connecting', 'online', 'offline']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ServerUrl = z
  .string()
  .trim()
  .url()
  .refine((u) => /^(wss?|https?):\/\//i.test(u), 'must start with ws://, wss://, http:// or https://')
  // Without TLS anyone on the path could log in as nobody but still drop or delay traffic and see who talks to whom.
  .refine(
    (u) => /^(wss|https):/i.test(u) || (URL.canParse(u) && isLoopbackHost(new URL(u).hostname)),
    'use https:// or wss:// for a relay that is not on this machine',
  );

export const ProfileInfo = z.object({ username: Username, serverUrl: z.string(), deviceKey: z.string() });
export type ProfileInfo = z.infer<typeof ProfileInfo>;



/** A passphrase for the history key: long enough that Argon2id makes guessing it slow, short enough to type. */
export const Passphrase = z.string().min(8, 'a passphrase has at least 8 characters').max(1024);

/**
 * How this device keeps the key of its encrypted history. 'ready': the key is at hand (or is made
 * with the account). 'locked': it cannot be had without the person: `reason` says why, with the
 * keyring backend recorded when the key was wrapped and the one in use now. 'choose-passphrase':
 * no OS keyring protects secrets here, so the person chooses a passphrase before anything is stored.
 */
export const VaultStatus = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('ready'),
    /** The OS keyring backend that holds the key; null when none does. */
    keyring: z.string().nullable(),
    /** 'primary': the passphrase is what protects the key; 'recovery': a way back if the keyring or key file is lost. */
    passphrase: z.enum(['none', 'recovery', 'primary']),
    keyFile: z.boolean(),
  }),
  z.object({
    state: z.literal('locked'),
    reason: z.enum(['keyring-changed', 'keyring-unavailable', 'passphrase-required', 'key-file-missing', 'key-missing']),
    recordedBackend: z.string().nullable(),
    currentBackend: z.string().nullable(),
    /** A passphrase (recovery or primary) can unlock it. */
    hasPassphrase: z.boolean(),
    /** Whose history it is (profile.json's public part); null when there is no profile yet. */
    account: z.object({ username: z.string(), serverUrl: z.string() }).nullable(),
  }),
  z.object({
    state: z.literal('choose-passphrase'),
    currentBackend: z.string().nullable(),
    /** A profile from before encryption at rest is waiting: the passphrase will encrypt its history. */
    existingProfile: z.boolean(),
  }),
]);
export type VaultStatus = z.infer<typeof VaultStatus>;

/**
 * Messages that never reached this device, since the person last dismissed the notice: expired
 * (they waited longer than the relay keeps them) or refused (its queue on the relay was full; the
 * senders were told).
 */
export const MissedMessages = z.object({ expired: z.number().int().nonnegative(), refused: z.number().int().nonnegative() });
export type MissedMessages = z.infer<typeof MissedMessages>;

export const AppSnapshot = z.object({
  profile: ProfileInfo.nullable(),
  defaultServerUrl: z.string(),
  connection: ConnectionState,
  /** Why the connection stopped and will not retry by itself (e.g. this device connected elsewhere). */
  connectionError: IpcError.nullable(),
  /** This person hides their presence from everyone. */
  presenceHidden: z.boolean(),
  /** This person chose to show as away (not the idle timer's away). */
  presenceAway: z.boolean(),
  /** Who is typing where, as core last heard (`at`, ms since the epoch): a window opening now shows them too. */
  typing: z.array(z.object({ conversationId: ConversationId, username: Username, at: z.number() })),
  /** A new device waiting to be approved by an existing one: the code to enter there. */
  pendingLink: z.object({ code: z.string(), expiresAt: z.number() }).nullable(),
  /** The history's key: while it is not 'ready', there is no profile open (see VaultStatus). */
  vault: VaultStatus,
  missed: MissedMessages,
});

/** What two people compare to know that nobody sits between them. */
export const SafetyInfo = z.object({
  username: Username,
  /** 60 digits, the same on both sides; shown as 12 groups of 5. */
  safetyNumber: z.string().regex(/^\d{60}$/),
  /** What the QR code encodes (both sides' identity fingerprints). */
  qrPayload: z.string(),
  /** Marked as verified by this person, and unchanged since. */
  verified: z.boolean(),
  /** When this contact's identity key last changed; null when it never has since first seen. */
  changedAt: z.number().nullable(),
});
export type SafetyInfo = z.infer<typeof SafetyInfo>;

export const DeviceInfo = z.object({
  deviceKey: z.string(),
  /** This device (the one running this app). */
  current: z.boolean(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

/**
 * Where this host writes its log file. `path` is null when it logs to stderr only (its folder could
 * not be used); `canOpen`: the host can show the folder in the OS file manager (the desktop app;
 * not the web host, whose page may be on another screen than its process).
 */
export const LogsFolder = z.object({ path: z.string().nullable(), canOpen: z.boolean() });
export type LogsFolder = z.infer<typeof LogsFolder>;

/** What the tray icon and the window badge count. */
export const UnreadCounts = z.object({ chat: z.number().int().nonnegative(), push: z.number().int().nonnegative() });
export type UnreadCounts = z.infer<typeof UnreadCounts>;

export const Presence = z.object({ username: Username, state: PresenceState, lastSeen: z.number().nullable() });
export type Presence = z.infer<typeof Presence>;
export type AppSnapshot = z.infer<typeof AppSnapshot>;

const Empty = z.object({}).strict();
/** A relay key's fingerprint as shared/relay-key.ts writes it: five groups of eight hex digits. */
export const RelayFingerprint = z.string().regex(/^[0-9a-f]{8}( [0-9a-f]{8}){4}$/);
const LinkCode = z
  .string()
  .trim()
  .max(40)
  .refine((code) => /^[\d\s-]+$/.test(code) && code.replace(/\D/g, '').length === 18, 'the code is 18 digits');

/** Request and response schema of every invokable channel. */
export const invokeContract = {
  'app:snapshot': { request: Empty, response: AppSnapshot },
  /** Where the logs are, for Settings to show (and for a person to attach to a bug report). */
  'app:logsFolder': { request: Empty, response: LogsFolder },
  /** Opens the logs folder in the OS file manager, where the host can (LogsFolder.canOpen). */
  'app:openLogsFolder': { request: Empty, response: LogsFolder },
  /** The person has read the notice of missed messages: the totals start again from zero. */
  'missed:dismiss': { request: Empty, response: z.null() },
  'account:register': {
    request: z.object({ serverUrl: ServerUrl, username: Username }).strict(),
    response: ProfileInfo,
  },
  /** Whether a username is free on a relay, as the first-run form is filled in: a hint, "unknown" when the relay does not say. */
  'account:checkUsername': {
    request: z.object({ serverUrl: ServerUrl, username: Username }).strict(),
    response: z.object({ state: z.enum(['available', 'taken', 'unknown']) }),
  },
  /** Connects again after the connection stopped for good (connectionError). */
  'connection:retry': { request: Empty, response: z.null() },
  /** After relay_key_changed: trust the relay's new key, named by the fingerprint the person was shown, and connect again. */
  'relay:trustKey': { request: z.object({ fingerprint: RelayFingerprint }).strict(), response: z.null() },
  /** The relay this profile uses, and the fingerprint of the key this device trusts for it (none before its first login). */
  'relay:info': { request: Empty, response: z.object({ url: z.string(), fingerprint: RelayFingerprint.nullable() }) },
  /** A new device for an existing account: returns the code to enter on a device that has the account. */
  'account:link': {
    request: z.object({ serverUrl: ServerUrl }).strict(),
    /** `code`: 18 digits to type on a device that has the account (8 find this device, 10 are a secret the relay never sees). */
    response: z.object({ code: z.string(), expiresAt: z.number() }),
  },
  /** On a device with the account: approve the new device showing this code. */
  'devices:approve': {
    request: z.object({ code: LinkCode }).strict(),
    response: z.object({ deviceKey: z.string() }),
  },
  /** This account's devices, as its own account key certifies them. */
  'devices:list': { request: Empty, response: z.array(DeviceInfo) },
  /** Unlinks another device of this account: it receives nothing from then on. */
  'devices:remove': { request: z.object({ deviceKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).strict(), response: z.null() },
  /** The safety number with a contact. */
  'safety:get': { request: z.object({ username: Username }).strict(), response: SafetyInfo },
  /** Marking verified names the number the person compared: a key that changed meanwhile is not verified unseen. */
  'safety:setVerified': {
    request: z
      .object({ username: Username, verified: z.boolean(), safetyNumber: z.string().regex(/^\d{60}$/).optional() })
      .strict()
      .refine((r) => !r.verified || r.safetyNumber !== undefined, 'marking verified needs the safety number that was compared'),
    response: SafetyInfo,
  },
  'settings:get': { request: Empty, response: z.object({ settings: DesktopSettings, capabilities: ShellCapabilities }) },
  'settings:set': { request: DesktopSettingsPatch, response: DesktopSettings },
  /**
   * What the person is looking at: no notification for the conversation in view while the
   * window has focus, and its notifications go away once it is seen.
   */
  'ui:viewing': { request: z.object({ conversationId: ConversationId.nullable(), focused: z.boolean() }).strict(), response: z.null() },
  'unread:get': { request: Empty, response: UnreadCounts },
  'conversations:list': { request: Empty, response: z.array(Conversation) },
  'conversations:open': { request: z.object({ username: Username }).strict(), response: Conversation },
  'conversations:markRead': { request: z.object({ conversationId: ConversationId }).strict(), response: z.null() },
  'messages:list': {
    request: z
      .object({
        conversationId: ConversationId,
        limit: z.number().int().min(1).max(500).optional(),
        /** Page backwards: only messages ordered before this message id. */
        before: z.string().max(64).optional(),
        /** The page with this message in its middle (a search result opened). */
        around: z.string().max(64).optional(),
      })
      .strict()
      .refine((r) => r.before === undefined || r.around === undefined, 'ask for messages before one, or around one, not both'),
    response: z.array(ChatMessage),
  },
  'groups:create': {
    request: z.object({ name: GroupName, members: z.array(Username).min(1).max(MAX_RECIPIENTS - 1) }).strict(),
    response: Conversation,
  },
  'groups:add': {
    request: z.object({ conversationId: GroupId, members: z.array(Username).min(1).max(MAX_RECIPIENTS - 1) }).strict(),
    response: Conversation,
  },
  'groups:remove': { request: z.object({ conversationId: GroupId, member: Username }).strict(), response: Conversation },
  'groups:leave': { request: z.object({ conversationId: GroupId }).strict(), response: Conversation },
  /** The person is (or stopped) typing in this conversation; sent to people online now only. */
  'conversations:typing': { request: z.object({ conversationId: ConversationId, typing: z.boolean() }).strict(), response: z.null() },
  /** Idle for 5 minutes → away (`state`); away by choice, kept (`away`); hidden → appear offline to everyone. */
  'presence:set': {
    request: z.object({ state: z.enum(['online', 'away']).optional(), hidden: z.boolean().optional(), away: z.boolean().optional() }).strict(),
    response: z.null(),
  },
  /** Presence of everyone this account shares a conversation with, as last heard. */
  'presence:list': { request: Empty, response: z.array(Presence) },
  /** How the history's key is kept, and whether it is locked. */
  'vault:status': { request: Empty, response: VaultStatus },
  /** Opens a locked history with its passphrase; the key is wrapped again by the keyring in use now. */
  'vault:unlock': { request: z.object({ passphrase: Passphrase }).strict(), response: VaultStatus },
  /** Sets (or replaces) the recovery passphrase; where no keyring exists, the passphrase that protects the key. */
  'vault:setPassphrase': { request: z.object({ passphrase: Passphrase }).strict(), response: VaultStatus },
  /** A locked history with no way back: its files are moved aside (never deleted) and a fresh profile starts. */
  'vault:reset': { request: Empty, response: z.object({ movedTo: z.string() }) },
  'messages:send': {
    request: z
      .object({
        conversationId: ConversationId,
        /** With attachments, the caption: it may be empty. */
        text: z.string().trim().pipe(z.union([MessageText, z.literal('')])),
        attachments: z.array(StagedId).min(1).max(MAX_ATTACHMENTS).optional(),
        /** The message this one answers, quoted. */
        replyTo: z.string().max(64).optional(),
      })
      .strict()
      .refine((r) => r.text !== '' || r.attachments !== undefined, { message: 'write a message or attach a file', path: ['text'] }),
    response: ChatMessage,
  },
  ...messageChannels,
  ...peopleChannels,
  ...attachmentChannels,
  ...pushChannels,
} as const;

export type InvokeChannel = keyof typeof invokeContract;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['response']>;

/** Events pushed from core to the renderer. */
export const eventContract = {
  connection: ConnectionState,
  'connection-error': IpcError,
  /** More messages never reached this device: the totals since the person last dismissed them. */
  'messages-missed': MissedMessages,
  profile: ProfileInfo,
  message: ChatMessage,
  /** A message left a conversation (a placeholder replaced by the real message elsewhere). */
  'message-removed': z.object({ conversationId: ConversationId, id: z.string() }),
  conversation: Conversation,
  /** The user clicked an OS notification: show this conversation. */
  'open-conversation': z.object({ conversationId: ConversationId }),
  presence: Presence,
  typing: z.object({ conversationId: ConversationId, username: Username, typing: z.boolean() }),
  /** A contact's identity key changed, or this person marked it verified (or not). */
  safety: SafetyInfo,
  /** The unread counts changed (tray and badge). */
  unread: UnreadCounts,
  settings: DesktopSettings,
  /**
   * Where no OS shows notifications for the app (the web host), the page shows this one itself;
   * a click opens what it is about, like a click on an OS notification.
   */
  toast: z.object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    target: z.union([z.object({ conversationId: ConversationId }), z.object({ pushId: z.string() })]),
    /** A push's priority (ntfy's 1–5), for its colour; none for a message. */
    priority: z.number().int().min(1).max(5).optional(),
  }),
  'toast-closed': z.object({ id: z.string() }),
  /** The history's key changed state (unlocked, locked, a passphrase set, reset). */
  vault: VaultStatus,
  ...attachmentEvents,
  ...peopleEvents,
  ...pushEvents,
} as const;

export type EventChannel = keyof typeof eventContract;
export type EventPayload<E extends EventChannel> = z.output<(typeof eventContract)[E]>;

/** What the renderer sees as `window.warbler`, in Electron and in the web host alike. */
export interface WarblerApi {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Streams a file of the page to the host, which encrypts and stages it for the next message. */
  stageAttachment(file: StageSource, options: StageOptions): Promise<InvokeResponse<'attachments:stageEnd'>>;
  /**
   * Where the page loads an attachment's plaintext from (img, video, audio, a download link): a
   * path on the page's own origin, which the host serves decrypted from the profile. `download`:
   * served as a download under its name.
   */
  attachmentUrl(id: string, opts?: { download?: boolean }): string;
}


export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokeContract, value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.hasOwn(eventContract, value);
}
