// Push topic names, checked before asking core. The contract's pattern (shared/ipc.ts PushTopic),
// restated here so the Electron bundle does not carry zod for one regex; a test keeps them equal.

export const TOPIC_PATTERN = /^[-_A-Za-z0-9]{1,64}$/;

/** Spaces around a pasted name are not part of it; anything else that does not match is refused. */
export function normalizeTopic(input: string): string | null {
  const topic = input.trim();
  return TOPIC_PATTERN.test(topic) ? topic : null;
}
