// The renderer's only door to the rest of Warbler: `window.warbler`.
import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  WarblerApi,
} from '../../shared/ipc.js';

function bridge(): WarblerApi {
  const api = (window as Partial<Window>).warbler;
  if (!api) throw new Error('window.warbler is not available');
  return api;
}

export function hasBridge(): boolean {
  return (window as Partial<Window>).warbler !== undefined;
}

export function invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
  try {
    return bridge().invoke(channel, request);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export function on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener);
}

/** The text to show for a failed invoke: the IpcError message the host sent. */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message || fallback;
  }
  return fallback;
}
