// What the page says about a request that failed: the text of its code (shared/errors.ts) in the
// person's language, with its params; one generic line (`errors.internal`) for a code that means a
// bug, a code this page does not know, or a text whose params did not come. The English `message`
// is for logs and devtools: it is never shown.
import type { i18n as I18n } from 'i18next';

/** A failed request as the page keeps it: an IpcError, read without trusting its shape. */
export interface Failure {
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

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

function isParams(value: unknown): value is Record<string, string | number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');
}

/**
 * The failure a rejected invoke carries: the bridge (the web shim, the Electron preload) validated
 * it against the contract; here only its shape is read. Null for anything else, which is a fault
 * in the page itself.
 */
export function failureOf(reason: unknown): Failure | null {
  if (typeof reason !== 'object' || reason === null) return null;
  const { code, message, params } = reason as { code?: unknown; message?: unknown; params?: unknown };
  if (typeof code !== 'string' || code.length > 64) return null;
  return { code, message: typeof message === 'string' ? message : '', ...(isParams(params) ? { params } : {}) };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]\w*)\s*\}\}/g;

/** The text to show for a failure, in the translator's language. */
export function errorText(translator: Translator, failure: Pick<Failure, 'code' | 'params'> | null): string {
  const generic = translator.t('errors.internal');
  if (!failure) return generic;
  const params = failure.params ?? {};
  // A refused request that names the field to fix says how to fix it.
  const field = params.field;
  if (failure.code === 'bad_request' && typeof field === 'string' && /^[a-zA-Z]+$/.test(field) && translator.exists(`invalid.${field}`)) {
    return translator.t(`invalid.${field}`);
  }
  // Only codes a person can act on have a text; an internal code or an unknown one has none.
  const key = `errors.${failure.code}`;
  if (!/^[a-z_]+$/.test(failure.code) || !translator.exists(key)) return generic;
  const template = translator.t(key, { skipInterpolation: true });
  const needed = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  if (needed.some((name) => params[name] === undefined)) return generic;
  return translator.t(key, { replace: params });
}
