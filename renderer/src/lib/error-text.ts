// What the page says about a request that failed: the text of its code (shared/errors.ts) in the
// person's language, with its params; one generic line (`errors.internal`) for a code that means a
// bug, a code this page does not know, or a text whose params did not come. The English `message`
// is for logs and devtools: it is never shown.
import type { i18n as I18n } from 'i18next';
import { ERRORS, ErrorCode, IpcError, isShownErrorCode, type ErrorParams } from '../../../shared/errors.js';

/** A failed request as the page keeps it: the contract's IpcError. */
export type Failure = IpcError;

/** What errorText needs of i18next, with keys as plain strings: the codes arrive at run time. */
export interface Translator {
  exists(key: string): boolean;
  t(key: string, options?: { replace?: Record<string, string | number>; skipInterpolation?: boolean }): string;
}

export function translatorOf(i18n: I18n): Translator {
  return {
    exists: (key) => i18n.exists(key),
    t: (key, options) => String(i18n.t(key as never, options as never)),
  };
}

/**
 * The failure a rejected invoke carries: the bridge (the web shim, the Electron preload) checked it
 * against the contract; here it is read as an IpcError again (an unknown code is `internal`, bad
 * params are none). Null for anything without a code, which is a fault in the page itself.
 */
export function failureOf(reason: unknown): Failure | null {
  if (typeof reason !== 'object' || reason === null) return null;
  // Read one by one: an Error's message is not an enumerable property.
  const { code, message, params } = reason as { code?: unknown; message?: unknown; params?: unknown };
  if (typeof code !== 'string') return null;
  const failure = IpcError.safeParse({ code, message: typeof message === 'string' ? message : '', params });
  return failure.success ? failure.data : null;
}

/** Params a text does without: `field` picks the more precise `invalid.<field>` text where there is one. */
const OPTIONAL_PARAMS: ReadonlySet<string> = new Set(['field']);

/** The text to show for a failure, in the translator's language. */
export function errorText(translator: Translator, failure: { code: string; params?: ErrorParams } | null): string {
  const generic = translator.t('errors.internal');
  // Only codes a person can act on have a text; an internal code or an unknown one has none.
  const code = ErrorCode.safeParse(failure?.code);
  if (!failure || !code.success || !isShownErrorCode(code.data)) return generic;
  const params = failure.params ?? {};
  // A refused request that names the field to fix says how to fix it.
  const field = params.field;
  if (code.data === 'bad_request' && typeof field === 'string' && /^[a-zA-Z]+$/.test(field) && translator.exists(`invalid.${field}`)) {
    return translator.t(`invalid.${field}`);
  }
  // The params the table says the text needs (tests hold every translation to them).
  const spec = ERRORS[code.data];
  const needed: readonly string[] = 'params' in spec ? spec.params : [];
  if (needed.some((name) => !OPTIONAL_PARAMS.has(name) && params[name] === undefined)) return generic;
  return translator.t(`errors.${code.data}`, { replace: params });
}
