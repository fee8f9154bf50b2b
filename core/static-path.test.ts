import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from './static-path.js';

const root = path.resolve('/srv/app');

describe('serving files from the renderer bundle', () => {
  it('maps URL paths to files under the root', () => {
    expect(resolveInside(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/a%20b.js')).toBe(path.join(root, 'assets', 'a b.js'));
  });
  it('clamps dot-dot segments, encoded or not, at the root', () => {
    for (const p of ['/../secret', '/%2e%2e/secret', '/assets/../../secret', '/..%2f..%2fsecret']) {
      expect(resolveInside(root, p)).toBe(path.join(root, 'secret'));
    }
  });
  it.each(['/%00', '/%E0%A4%A', '/'])('refuses %s', (p) => {
    expect(resolveInside(root, p)).toBeNull();
  });
});
