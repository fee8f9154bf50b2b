import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './ipc-guard.js';

const contents = { id: 1 };
const top = (url: string) => ({ url, parent: null });

describe('IPC senders', () => {
  it('the app\'s own top frame in its window may call in', () => {
    expect(isTrustedSender({ sender: contents, senderFrame: top('app://warbler/index.html') }, contents)).toBe(true);
  });

  it('nothing else may', () => {
    expect(isTrustedSender({ sender: { id: 2 }, senderFrame: top('app://warbler/index.html') }, contents)).toBe(false);
    expect(isTrustedSender({ sender: contents, senderFrame: top('https://evil.example/') }, contents)).toBe(false);
    expect(isTrustedSender({ sender: contents, senderFrame: { url: 'app://warbler/x.html', parent: {} } }, contents)).toBe(false);
    expect(isTrustedSender({ sender: contents, senderFrame: null }, contents)).toBe(false);
    expect(isTrustedSender({ sender: undefined, senderFrame: top('app://warbler/') }, undefined)).toBe(false);
  });
});
