// The IPC contract's implementation on top of the headless client. Electron's main process and
// the web host both forward validated requests here and forward its events to the renderer.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { z } from 'zod';
import { ERRORS } from '../shared/errors.js';
import { invokeContract, isInvokeChannel, type EventChannel, type EventPayload, type InvokeChannel, type InvokeRequest, type InvokeResponse, type MissedMessages, type UnreadCounts } from '../shared/ipc.js';
import { type IpcEventMessage, type IpcOutcome } from '../shared/ipc-transport.js';
import { WarblerClient, type LinkInProgress } from './client.js';
import { readProfileInfo } from './profile.js';
import { SETTINGS_FILE, SettingsStore } from './settings-store.js';
import type { ShellCapabilities } from '../shared/desktop-settings.js';
import { Vault, type KeySource } from './vault/vault.js';
import { logClient, logsFolder, type HostLogs } from './service-log.js';
import { ServiceError, badRequest, logFailure, toIpcError } from './ipc-errors.js';
import { StageSessions, attachmentHandlers } from './service-attachments.js';
import { pushHandlers } from './service-pushes.js';
import { messageHandlers } from './service-messages.js';
import { peopleHandlers } from './service-people.js';
import type { StagedAttachment, StageOptions } from '../shared/attachment.js';
import type { OpenedAttachment } from './client/attachment-downloads.js';
import { PushAttachmentFiles, type PushPreview } from './push-attachment-files.js';
import { checkUsername } from './username-check.js';
import { ClientError } from './attachments/errors.js';


type Handlers = { [C in InvokeChannel]: (request: z.output<(typeof invokeContract)[C]['request']>) => Promise<InvokeResponse<C>> };


export interface ServiceOptions {
  profileDir: string;
  defaultServerUrl: string;
  /** Overrides the profile's stored server URL. */
  serverUrl?: string;
  /** The desktop settings; default: settings.json in the profile folder (the app keeps its own in its data folder). */
  settings?: SettingsStore;
  /** What the host can do (tray, login item, system idle); default: the web host's. */
  capabilities?: ShellCapabilities;
  /**
   * Where the history key comes from: the OS keyring (the desktop app), a passphrase, or a key file
   * (default: history.key in the profile folder, as the CLI and the web host use).
   */
  keys?: KeySource;
  /** The host's log (its file, core/log-file.ts); the client logs there too. Default: nothing from the service, the client's own warnings on stderr. */
  logger?: Logger;
  /** The host's logs folder, shown in Settings; default: none. */
  logs?: HostLogs;
}

/** The conversation in view, and whether the window showing it has focus. */
export interface Viewing {
  conversationId: string | null;
  focused: boolean;
}

const WEB_HOST: ShellCapabilities = { host: 'web', tray: false, startAtLogin: false, systemIdle: false };

export class ClientService extends EventEmitter<{ event: [IpcEventMessage]; client: [WarblerClient]; viewing: [Viewing] }> {
  readonly settings: SettingsStore;
  private viewingNow: Viewing = { conversationId: null, focused: false };
  private client: WarblerClient | undefined;
  private registering = false;
  /** A link being started (its key made, the relay asked for a code): a second one waits for none and is refused. */
  private startingLink = false;
  private linking: LinkInProgress | undefined;
  private lastUnread: UnreadCounts | undefined;
  private readonly handlers: Handlers;
  private vault: Vault | undefined;
  private starting: Promise<void> | undefined;
  private readonly log: Logger;
  private readonly stagings = new StageSessions(() => this.requireClient());
  /** Previews of images attached to pushes, for the client that is running. */
  private pushFiles: PushAttachmentFiles | undefined;
  private missed: MissedMessages = { expired: 0, refused: 0 };

  constructor(private readonly options: ServiceOptions) {
    super();
    this.log = options.logger ?? pino({ level: 'silent' });
    this.settings = options.settings ?? new SettingsStore(path.join(options.profileDir, SETTINGS_FILE));
    this.settings.on('change', (settings) => this.send('settings', settings));
    this.handlers = {
      'app:snapshot': async () => ({
        profile: this.client ? this.profileInfo(this.client) : null,
        defaultServerUrl: this.options.serverUrl ?? this.options.defaultServerUrl,
        connection: this.client?.connectionState ?? 'offline',
        connectionError: this.client?.lastConnectionError ? toIpcError(this.client.lastConnectionError) : null,
        presenceHidden: this.client?.presenceHidden ?? false,
        presenceAway: this.client?.presenceAway ?? false,
        typing: this.client?.typingNow() ?? [],
        pendingLink: this.linking ? { code: this.linking.code, expiresAt: this.linking.expiresAt } : null,
        vault: this.requireVault().status(),
        missed: { ...this.missed },
      }),
      'missed:dismiss': async () => {
        this.missed = { expired: 0, refused: 0 };
        return null;
      },
      'app:logsFolder': async () => logsFolder(this.options.logs),
      'app:openLogsFolder': async () => {
        const { dir, open } = this.options.logs ?? {};
        if (!dir || !open) throw new ServiceError('unsupported', 'this app cannot open its logs folder here: the path is shown instead');
        await open(dir).catch((err: unknown) => {
          throw new ServiceError('open_failed', `could not open ${dir}: ${(err as Error).message}`);
        });
        return logsFolder(this.options.logs);
      },
      'vault:status': async () => this.requireVault().status(),
      'vault:unlock': async ({ passphrase }) => {
        await this.requireVault().unlock(passphrase);
        await this.openProfile();
        return this.sendVault();
      },
      'vault:setPassphrase': async ({ passphrase }) => {
        await this.requireVault().setPassphrase(passphrase);
        // Where no keyring exists, a profile from before encryption at rest waited for this passphrase.
        await this.openProfile();
        return this.sendVault();
      },
      'vault:reset': async () => {
        const movedTo = await this.requireVault().reset();
        this.sendVault();
        return { movedTo };
      },
      'account:register': async ({ serverUrl, username }) => {
        // Two windows may submit at once: only one registration per profile may run.
        if (this.client || this.registering) throw new ServiceError('already_registered', 'this profile already has an account');
        if (this.startingLink) throw new ServiceError('link_in_progress', 'a link code is being requested for this profile');
        this.linking?.cancel();
        this.linking = undefined;
        this.registering = true;
        try {
          const client = await WarblerClient.register(this.options.profileDir, serverUrl, username, { ...this.clientLog(), keys: await this.requireVault().ensureKey() });
          this.log.info({ username }, 'account registered');
          this.attach(client);
          const info = this.profileInfo(client);
          this.send('profile', info);
          return info;
        } finally {
          this.registering = false;
        }
      },
      'account:checkUsername': async ({ serverUrl, username }) => ({ state: await checkUsername(serverUrl, username) }),
      'account:link': async ({ serverUrl }) => {
        if (this.client || this.registering) throw new ServiceError('already_registered', 'this profile already has an account');
        if (this.startingLink) throw new ServiceError('link_in_progress', 'a link code is being requested already');
        this.startingLink = true;
        let linking: LinkInProgress;
        try {
          this.linking?.cancel();
          linking = await WarblerClient.link(this.options.profileDir, serverUrl, { ...this.clientLog(), keys: await this.requireVault().ensureKey() });
        } finally {
          this.startingLink = false;
        }
        this.linking = linking;
        linking.done.then(
          (client) => {
            if (this.linking !== linking) return void client.close();
            this.linking = undefined;
            this.log.info({ username: client.username }, 'this device was linked to its account');
            this.attach(client);
            this.send('profile', this.profileInfo(client));
          },
          (err: unknown) => {
            if (this.linking === linking) this.linking = undefined;
            this.log.info({ err }, 'the device link ended without an approval');
          },
        );
        return { code: linking.code, expiresAt: linking.expiresAt };
      },
      'devices:approve': async ({ code }) => ({ deviceKey: await this.requireClient().approveDevice(code) }),
      'devices:list': async () => this.requireClient().devices(),
      'devices:remove': async ({ deviceKey }) => {
        await this.requireClient().removeDevice(deviceKey);
        return null;
      },
      'settings:get': async () => ({ settings: this.settings.get(), capabilities: this.options.capabilities ?? WEB_HOST }),
      'settings:set': async (patch) => this.settings.update(patch),
      'ui:viewing': async (viewing) => {
        this.viewingNow = viewing;
        this.emit('viewing', viewing);
        return null;
      },
      'unread:get': async () => this.client?.unreadCounts() ?? { chat: 0, push: 0 },
      'safety:get': async ({ username }) => this.requireClient().safety(username),
      'safety:setVerified': async ({ username, verified, safetyNumber }) =>
        this.requireClient().setVerified(username, verified, safetyNumber),
      'groups:create': async ({ name, members }) => this.requireClient().createGroup(name, members),
      'groups:add': async ({ conversationId, members }) => this.requireClient().addMembers(conversationId, members),
      'groups:remove': async ({ conversationId, member }) => this.requireClient().removeMember(conversationId, member),
      'groups:leave': async ({ conversationId }) => this.requireClient().leaveGroup(conversationId),
      'conversations:typing': async ({ conversationId, typing }) => {
        await this.requireClient().setTyping(conversationId, typing);
        return null;
      },
      'presence:set': async (update) => {
        this.requireClient().setPresence(update);
        return null;
      },
      'presence:list': async () => this.requireClient().presenceList(),
      'connection:retry': async () => {
        const client = this.requireClient();
        // After a fatal stop: start again. Otherwise (the OS says the network is back): reconnect now.
        if (client.lastConnectionError) client.start();
        else if (client.connectionState !== 'online') client.reconnectNow();
        return null;
      },
      'relay:trustKey': async ({ fingerprint }) => {
        this.requireClient().trustRelayKey(fingerprint);
        return null;
      },
      'relay:info': async () => {
        const client = this.requireClient();
        return { url: client.serverUrl, fingerprint: client.relayKey.fingerprint ?? null };
      },
      'conversations:list': async () => this.requireClient().conversations(),
      'conversations:open': async ({ username }) => this.requireClient().openConversation(username),
      'conversations:markRead': async ({ conversationId }) => {
        this.requireClient().markRead(conversationId);
        return null;
      },
      'messages:list': async ({ conversationId, limit, before, around }) =>
        around !== undefined
          ? this.requireClient().messagesAround(conversationId, around, limit ?? 200)
          : this.requireClient().messages(conversationId, limit ?? 200, before),
      'messages:send': async ({ conversationId, text, attachments, replyTo }) =>
        this.requireClient().send(conversationId, text, { queue: true, ...(attachments ? { attachments } : {}), ...(replyTo ? { replyTo } : {}) }),
      ...messageHandlers(() => this.requireClient()),
      ...peopleHandlers(() => this.requireClient()),
      ...attachmentHandlers(() => this.requireClient(), this.stagings),
      ...pushHandlers({ client: () => this.requireClient(), files: () => this.pushFiles, send: (event, payload) => this.send(event, payload), sendUnread: () => this.sendUnread() }),
    };
  }

  /**
   * Opens the profile if the folder has one and its key is at hand, and connects. A locked history
   * is no failure: the snapshot says so and the renderer offers the ways back. A wrong passphrase
   * or key file given to this process is one, and throws.
   */
  start(): Promise<void> {
    this.starting ??= (async () => {
      this.vault = await Vault.open(this.options.profileDir, this.options.keys ?? { kind: 'key-file' });
      const status = this.vault.status();
      this.log.info({ profileDir: this.options.profileDir, vault: status.state, ...('reason' in status ? { reason: status.reason } : {}) }, 'starting');
      await this.openProfile();
    })();
    return this.starting;
  }

  /** Opens the folder's profile once the vault has its key; nothing when there is no profile or it is locked. */
  private async openProfile(): Promise<void> {
    const vault = this.requireVault();
    if (this.client || vault.status().state !== 'ready' || !readProfileInfo(this.options.profileDir)) return;
    const client = await WarblerClient.open(this.options.profileDir, { ...this.clientLog(), serverUrl: this.options.serverUrl, keys: await vault.ensureKey() });
    this.attach(client);
    this.send('profile', this.profileInfo(client));
  }

  private sendVault() {
    const status = this.requireVault().status();
    this.send('vault', status);
    return status;
  }

  private requireVault(): Vault {
    if (!this.vault) throw new ServiceError('starting', 'Warbler is still starting');
    return this.vault;
  }

  get current(): WarblerClient | undefined {
    return this.client;
  }

  get viewing(): Viewing {
    return this.viewingNow;
  }

  /** Validates channel and request, runs the handler, and never throws: errors come back as data. */
  async invoke(channel: unknown, request: unknown): Promise<IpcOutcome> {
    // A window may ask before start() is done: it gets answers about the profile as it will be.
    await this.starting?.catch(() => undefined);
    if (!isInvokeChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: ERRORS.unknown_channel.message } };
    const schema = invokeContract[channel].request;
    const parsed = schema.safeParse(request ?? {});
    if (!parsed.success) return { ok: false, error: badRequest(parsed.error) };
    // The channel alone: a request may hold message text, a link code or a passphrase.
    this.log.trace({ channel }, 'request');
    try {
      const handler = this.handlers[channel] as (r: unknown) => Promise<unknown>;
      return { ok: true, response: await handler(parsed.data) };
    } catch (err) {
      const error = toIpcError(err);
      logFailure(this.log, channel, error, err);
      return { ok: false, error };
    }
  }

  /** The host's logger for the client, when the host gave one (else the client keeps its own). */
  private clientLog(): { logger?: Logger } {
    return this.options.logger ? { logger: this.options.logger } : {};
  }

  /** Typed form of invoke for Node callers (tests, tools). */
  async call<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
    const outcome = await this.invoke(channel, request);
    if (!outcome.ok) throw new ServiceError(outcome.error.code, outcome.error.message, outcome.error.params);
    return outcome.response as InvokeResponse<C>;
  }

  /** For the hosts: a file the page sent as one body (the web host) staged for the next message. */
  stageAttachment(source: AsyncIterable<Uint8Array>, options: StageOptions): Promise<StagedAttachment> {
    return this.requireClient().stageAttachment(source, options);
  }

  /** For the hosts: a file's plaintext (or a byte range of it), served to the page at attachmentUrl. */
  openAttachment(id: string, range?: { start: number; end?: number }): Promise<OpenedAttachment> {
    return this.requireClient().openAttachment(id, range);
  }

  /**
   * For the hosts: the image attached to a push, fetched from the relay the first time and kept in
   * the profile (core/push-attachment-files.ts), served to the page at /push-attachments/<push id>.
   */
  async openPushAttachment(pushId: string): Promise<PushPreview> {
    const item = this.requireClient().pushItem(pushId);
    if (!item || !this.pushFiles) throw new ClientError('unknown_attachment', 'no such push');
    return this.pushFiles.open(item);
  }

  async close(): Promise<void> {
    this.stagings.close();
    this.linking?.cancel();
    await this.client?.close();
    this.client = undefined;
    this.vault?.close();
  }

  private attach(client: WarblerClient): void {
    this.client = client;
    logClient(client, this.log);
    client.on('state', (state) => this.send('connection', state));
    client.on('fatal', (err) => this.send('connection-error', toIpcError(err)));
    client.on('expired', (count) => this.addMissed('expired', count));
    client.on('refused', (count) => this.addMissed('refused', count));
    client.on('presence', (presence) => this.send('presence', presence));
    client.on('typing', (typing) => this.send('typing', typing));
    client.on('message', (message) => this.send('message', message));
    client.on('conversation', (conversation) => this.send('conversation', conversation));
    client.on('removed', (removed) => this.send('message-removed', removed));
    client.on('conversationRemoved', (conversationId) => this.send('conversation-removed', { conversationId }));
    client.on('push', (item) => {
      this.send('push', item);
      this.sendUnread();
    });
    const pushFiles = (this.pushFiles = new PushAttachmentFiles(client.profileDir, client.serverUrl));
    // Previews of pushes deleted while the app was closed (by another host on the profile) go too.
    pushFiles.prune(client.pushIds()).catch((err: unknown) => this.log.warn({ err }, 'could not tidy push previews'));
    client.on('pushRemoved', (ids) => {
      this.send('push-removed', { ids });
      pushFiles.forget(ids).catch((err: unknown) => this.log.warn({ err }, 'could not delete push previews'));
    });
    client.on('pushSubscriptions', (list) => this.send('push-subscriptions', list));
    client.on('conversation', () => this.sendUnread());
    client.on('safety', (info) => this.send('safety', info));
    client.on('attachment', (view) => this.send('attachment', view));
    this.emit('client', client);
    client.start();
  }

  /** The tray and the badge follow this: sent when it changes. */
  private sendUnread(): void {
    if (!this.client) return;
    const counts = this.client.unreadCounts();
    if (this.lastUnread && this.lastUnread.chat === counts.chat && this.lastUnread.push === counts.push) return;
    this.lastUnread = counts;
    this.send('unread', counts);
  }

  /** Kept here as well as sent: the count comes with the login, often before the page is there. */
  private addMissed(kind: keyof MissedMessages, count: number): void {
    this.missed[kind] += count;
    this.send('messages-missed', { ...this.missed });
  }

  /** Sends an event to the renderer(s). */
  send<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    this.emit('event', { event, payload } as IpcEventMessage);
  }

  private profileInfo(client: WarblerClient) {
    return { username: client.username, serverUrl: client.serverUrl, deviceKey: client.deviceKey };
  }

  private requireClient(): WarblerClient {
    if (!this.client) throw new ServiceError('no_profile', 'create an account first');
    return this.client;
  }
}
