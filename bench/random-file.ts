// Files of random bytes, for the attachment bench and tests: incompressible, as ciphertext is.
import { createHash, randomFillSync } from 'node:crypto';
import fs from 'node:fs';

/** Random bytes written a megabyte at a time; their SHA-256, hex. */
export function randomFile(file: string, size: number): string {
  const hash = createHash('sha256');
  const block = Buffer.alloc(1024 * 1024);
  const fd = fs.openSync(file, 'w');
  try {
    for (let left = size; left > 0; left -= block.length) {
      const piece = block.subarray(0, Math.min(block.length, left));
      randomFillSync(piece);
      hash.update(piece);
      fs.writeSync(fd, piece);
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}
