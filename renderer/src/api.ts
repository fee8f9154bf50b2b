// The renderer's only door to the rest of Warbler: `window.warbler`.
import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  WarblerApi,
} from '../../shared/ipc.js';
import i18n from './i18n.js';
import { errorText, failureOf, translatorOf, type Failure } from './lib/error-text.js';

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

/**
 * The text to show for a failed invoke, in the page's language: its code's text, or the generic
 * line. A failure that is not an IpcError is a fault in the page: it goes to the console (devtools).
 */
export function errorMessage(error: unknown): string {
  const failure = failureOf(error);
  if (!failure) console.error('unexpected failure in the page', error);
  return errorText(translatorOf(i18n), failure);
}

/** The failure to keep (e.g. as the connection's error), whatever was thrown. */
export function asFailure(error: unknown): Failure {
  return failureOf(error) ?? { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
