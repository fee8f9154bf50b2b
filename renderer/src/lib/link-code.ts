// Device-link codes: 18 digits (8 find the waiting device on the relay, 10 are a secret it never sees),
// shown in groups of 3 so a person can read them off one screen and type them on another.

const LINK_CODE_DIGITS = 18;
const GROUP = 3;

/** "123456789012345678" → "123 456 789 012 345 678"; anything else is returned as it is. */
export function formatLinkCode(code: string): string {
  const digits = normalizeLinkCode(code);
  if (!digits) return code;
  const groups: string[] = [];
  for (let at = 0; at < digits.length; at += GROUP) groups.push(digits.slice(at, at + GROUP));
  return groups.join(' ');
}

/**
 * What a person typed ("123 456 789 012 345 678", "123-456-…", " 123456789012345678 ") → the 18 bare
 * digits, or null if it is not 18 digits. Core's schema strips nothing, so this is what is sent.
 */
export function normalizeLinkCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return digits.length === LINK_CODE_DIGITS && /^\d+$/.test(digits) ? digits : null;
}
