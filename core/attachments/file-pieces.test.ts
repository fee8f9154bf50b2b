// filePieces reads the next piece while the consumer works on this one: the pieces must still be
// the file, in order, each intact until the next is asked for, and a consumer that stops early
// must leave the file closed behind it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternedBytes as bytes, tempDir } from '../../tests/helpers.js';
import { filePieces } from './staging.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('warbler-file-pieces-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileOf(data: Buffer): string {
  const file = path.join(dir, `file-${data.length}`);
  fs.writeFileSync(file, data);
  return file;
}

describe('filePieces', () => {
  it('yields the whole file in order, each piece untouched until the next is asked for', async () => {
    const data = bytes(10_000);
    const seen: Buffer[] = [];
    for await (const piece of filePieces(fileOf(data), 4096)) {
      const copy = Buffer.from(piece);
      // The read ahead fills the other buffer meanwhile: this piece must not change under the consumer.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(Buffer.from(piece).equals(copy)).toBe(true);
      seen.push(copy);
    }
    expect(seen.map((p) => p.length)).toEqual([4096, 4096, 1808]);
    expect(Buffer.concat(seen).equals(data)).toBe(true);
  });

  it('yields nothing for an empty file, and exactly full pieces for a file of whole pieces', async () => {
    const empty: Uint8Array[] = [];
    for await (const piece of filePieces(fileOf(Buffer.alloc(0)), 4096)) empty.push(piece);
    expect(empty).toEqual([]);
    const lengths: number[] = [];
    for await (const piece of filePieces(fileOf(bytes(8192)), 4096)) lengths.push(piece.length);
    expect(lengths).toEqual([4096, 4096]);
  });

  it('closes the file when the consumer stops early', async () => {
    const file = fileOf(bytes(50_000));
    const before = fs.readdirSync('/proc/self/fd').length;
    for await (const piece of filePieces(file, 4096)) {
      expect(piece.length).toBe(4096);
      break;
    }
    expect(fs.readdirSync('/proc/self/fd').length).toBe(before);
  });
});
