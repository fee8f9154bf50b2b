// Device-link codes: 8 digits, shown as "1234 5678".

/** "12345678" → "1234 5678"; anything else is returned as it is. */
export function formatLinkCode(code: string): string {
  const digits = code.replace(/[\s-]/g, '');
  return /^\d{8}$/.test(digits) ? `${digits.slice(0, 4)} ${digits.slice(4)}` : code;
}

/** What a person typed ("1234 5678", "1234-5678", " 12345678 ") → "12345678", or null if it is not 8 digits. */
export function normalizeLinkCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{8}$/.test(digits) ? digits : null;
}

/**
 * A device fingerprint as both screens show it: "123456789012" → "1234 5678 9012". Core already
 * groups it; grouping again here keeps the two screens alike should it ever send bare digits.
 */
export function formatFingerprint(fingerprint: string): string {
  const digits = fingerprint.replace(/\s/g, '');
  return /^\d{12}$/.test(digits) ? `${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}` : fingerprint;
}
