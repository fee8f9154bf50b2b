// Safety numbers: 60 digits, read as 12 groups of 5 so two people can compare them aloud or by eye.

export const SAFETY_GROUP_SIZE = 5;

/** "123456789012…" → ["12345", "67890", …]; a shorter last group keeps what is left. */
export function safetyNumberGroups(digits: string, size = SAFETY_GROUP_SIZE): string[] {
  const compact = digits.replace(/\s/g, '');
  const groups: string[] = [];
  for (let at = 0; at < compact.length; at += size) groups.push(compact.slice(at, at + size));
  return groups;
}

/** The groups with a space between them: what is shown, copied, and compared. */
export function formatSafetyNumber(digits: string): string {
  return safetyNumberGroups(digits).join(' ');
}
