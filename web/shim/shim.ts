// The browser implementation of WarblerApi for the web host: every invoke and event travels over one
// WebSocket to ws(s)://<location.host>/bridge. Loaded before the app; sets window.warbler.
import { z } from 'zod';
import { isEventChannel, isInvokeChannel, type ConnectionState, type EventChannel, type EventPayload, type InvokeChannel, type InvokeRequest, type InvokeResponse, type WarblerApi } from '../../shared/ipc.js';
import { BRIDGE_PATH, BridgeReply } from '../../shared/ipc-transport.js';
import type { IpcError } from '../../shared/errors.js';
import { checkEvent, checkReply } from '../../shared/ipc-check.js';
import { STAGE_OPTIONS_HEADER, STAGE_PATH } from '../../shared/ipc-attachments.js';
import { StagedAttachment } from '../../shared/attachment.js';
import { IpcError as IpcErrorSchema } from '../../shared/errors.js';

// The page's CSP has no 'unsafe-eval': keep zod from probing `new Function` (a CSP violation report).
z.config({ jitless: true });

/** How long a request may wait for the bridge to (re)connect before it is rejected. */
const QUEUE_TIMEOUT_MS = 10_000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;

/** A failed invoke, as the app reads it: the host's IpcError (checked by shared/ipc-check.ts), or the bridge's own. */
export class BridgeError extends Error {
  readonly code: IpcError['code'];
  readonly params: IpcError['params'];
  constructor(error: IpcError) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
    this.params = error.params;
  }
}

interface Outgoing {
  id: number;
  channel: InvokeChannel;
  request: unknown;
  resolve: (response: unknown) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

type AnyListener = (payload: never) => void;

function bridgeUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BRIDGE_PATH}`;
}

class BridgeClient {
  private socket: WebSocket | null = null;
  private open = false;
  private everOpened = false;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  /** Waiting for the socket to open; not yet sent. */
  private readonly queue: Outgoing[] = [];
  /** Sent on the current socket; waiting for a reply. */
  private readonly pending = new Map<number, Outgoing>();
  private readonly listeners = new Map<EventChannel, Set<AnyListener>>();
  /** True while the host is unreachable: the app is told 'offline'. */
  private down = false;

  constructor(private readonly url: string) {
    window.addEventListener('online', () => this.reconnectNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.reconnectNow();
    });
    this.connect();
  }

  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
    if (!isInvokeChannel(channel)) {
      return Promise.reject(new BridgeError({ code: 'unknown_channel', message: `Unknown channel: ${String(channel)}` }));
    }
    return new Promise<unknown>((resolve, reject) => {
      const item: Outgoing = { id: this.nextId++, channel, request, resolve, reject };
      if (this.open && this.socket) {
        this.send(item);
      } else {
        item.timer = setTimeout(() => {
          const index = this.queue.indexOf(item);
          if (index >= 0) this.queue.splice(index, 1);
          reject(new BridgeError({ code: 'bridge_unavailable', message: 'The Warbler host is not reachable.' }));
        }, QUEUE_TIMEOUT_MS);
        this.queue.push(item);
        // Someone is waiting: try now rather than at the end of the current backoff.
        this.reconnectNow();
      }
    }) as Promise<InvokeResponse<C>>;
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as AnyListener;
    set.add(entry);
    if (event === 'connection' && this.down) {
      // A listener that subscribes while the host is down still learns about it.
      queueMicrotask(() => {
        if (this.down && set.has(entry)) (listener as (p: ConnectionState) => void)('offline');
      });
    }
    return () => {
      set.delete(entry);
    };
  }

  private connect(): void {
    if (this.socket || this.reconnectTimer) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.handleClose();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.open = true;
      this.attempt = 0;
      const reconnected = this.everOpened;
      this.everOpened = true;
      for (const item of this.queue.splice(0)) {
        clearTimeout(item.timer);
        this.send(item);
      }
      if (reconnected || this.down) this.resync();
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (this.socket === socket) this.receive(event.data);
    });
    socket.addEventListener('close', () => {
      if (this.socket === socket) this.handleClose();
    });
  }

  private handleClose(): void {
    this.socket = null;
    this.open = false;
    // The host may or may not have acted on these: never resend, report.
    for (const item of this.pending.values()) {
      item.reject(new BridgeError({ code: 'bridge_closed', message: 'Lost the connection to the Warbler host.' }));
    }
    this.pending.clear();
    if (!this.down) {
      this.down = true;
      this.emit('connection', 'offline');
    }
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 10);
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = null;
        this.connect();
      },
      delay / 2 + Math.random() * (delay / 2),
    );
  }

  private reconnectNow(): void {
    if (this.socket) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect();
  }

  /** After the bridge comes back, tell the app the real connection state (it was told 'offline'). */
  private resync(): void {
    this.invoke('app:snapshot', {}).then(
      (snapshot) => {
        this.down = false;
        this.emit('connection', snapshot.connection);
      },
      () => {
        // The socket dropped again; handleClose already reported it.
      },
    );
  }

  private send(item: Outgoing): void {
    this.pending.set(item.id, item);
    try {
      this.socket?.send(JSON.stringify({ id: item.id, channel: item.channel, request: item.request }));
    } catch (error) {
      this.pending.delete(item.id);
      item.reject(
        new BridgeError({ code: 'bridge_send_failed', message: error instanceof Error ? error.message : String(error) }),
      );
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      console.warn('warbler bridge: ignoring a frame that is not JSON');
      return;
    }
    const parsed = BridgeReply.safeParse(json);
    if (!parsed.success) {
      console.warn('warbler bridge: ignoring a malformed frame');
      return;
    }
    const frame = parsed.data;
    if (frame.kind === 'event') {
      if (!isEventChannel(frame.event)) return;
      const message = checkEvent(frame.event, frame.payload);
      if (!message) {
        console.warn(`warbler bridge: ignoring a malformed '${frame.event}' event`);
        return;
      }
      if (message.event === 'connection') this.down = false;
      this.emit(message.event, message.payload);
      return;
    }
    const item = this.pending.get(frame.id);
    if (!item) return;
    this.pending.delete(frame.id);
    const outcome = checkReply(item.channel, frame);
    if (outcome.ok) item.resolve(outcome.response);
    else item.reject(new BridgeError(outcome.error));
  }

  private emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: EventPayload<E>) => void)(payload);
      } catch (error) {
        console.error(error);
      }
    }
  }
}

const client = new BridgeClient(bridgeUrl());

/** One streamed POST of the file's bytes: the host encrypts them as they arrive. */
async function stageAttachment(file: Blob, options: Parameters<WarblerApi['stageAttachment']>[1]): Promise<StagedAttachment> {
  let response: Response;
  try {
    response = await fetch(STAGE_PATH, {
      method: 'POST',
      body: file,
      headers: { [STAGE_OPTIONS_HEADER]: encodeURIComponent(JSON.stringify(options)), 'content-type': 'application/octet-stream' },
      credentials: 'same-origin',
    });
  } catch {
    throw new BridgeError({ code: 'bridge_unavailable', message: 'the host did not take the file' });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const staged = StagedAttachment.safeParse(body);
    if (staged.success) return staged.data;
    throw new BridgeError({ code: 'bridge_bad_reply', message: 'the host answered the file with something else' });
  }
  const error = IpcErrorSchema.safeParse(body);
  throw new BridgeError(error.success ? error.data : { code: 'internal', message: `the host answered ${response.status}` });
}

const bridged: WarblerApi = {
  invoke: <C extends InvokeChannel>(channel: C, request: InvokeRequest<C>) => client.invoke(channel, request),
  on: <E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) => client.on(event, listener),
  stageAttachment: (file, options) => stageAttachment(file as Blob, options),
  attachmentUrl: (id, opts) => `/attachments/${encodeURIComponent(id)}${opts?.download ? '?download=1' : ''}`,
};
const api: WarblerApi = Object.freeze(bridged);

Object.defineProperty(window, 'warbler', { value: api, writable: false, configurable: false, enumerable: true });
