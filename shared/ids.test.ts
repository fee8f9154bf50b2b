import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from './crypto.js';
import { newId } from './ids.js';

beforeAll(async () => {
  await loadSodium();
});

describe('newId', () => {
  it('is 22 base64url characters, never starting with "-" (the CLI would read an option), and does not repeat', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every other character still comes up first: the draw is uniform over the rest.
    expect(new Set(ids.map((id) => id[0])).size).toBe(63);
  });
});
