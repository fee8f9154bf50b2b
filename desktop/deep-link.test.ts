import { describe, expect, it } from 'vitest';
import { deepLinkInArgv, parseDeepLink } from './deep-link.js';

describe('warbler:// links', () => {
  it('open a conversation or a push', () => {
    expect(parseDeepLink('warbler://chat/alice')).toEqual({ kind: 'conversation', conversationId: 'alice' });
    expect(parseDeepLink('warbler://chat/alice/')).toEqual({ kind: 'conversation', conversationId: 'alice' });
    expect(parseDeepLink('WARBLER://chat/alice')).toEqual({ kind: 'conversation', conversationId: 'alice' });
    expect(parseDeepLink('warbler://push/abc_123')).toEqual({ kind: 'push', id: 'abc_123' });
  });

  it('refuse anything else', () => {
    for (const bad of [
      'https://chat/alice',
      'warbler://chat/',
      'warbler://chat/a/b',
      'warbler://chat/Al ice',
      'warbler://chat/alice?x=1',
      'warbler://chat/alice#x',
      'warbler://user:pw@chat/alice',
      'warbler://settings/alice',
      'warbler://push/%E0%A4%A',
      'warbler://push/../../etc',
      `warbler://chat/${'a'.repeat(600)}`,
      'warbler:chat/alice',
    ]) {
      expect(parseDeepLink(bad), bad).toBeUndefined();
    }
  });

  it('finds the link among a launch\'s arguments', () => {
    expect(deepLinkInArgv(['/opt/Warbler/warbler', '--allow-file-access-from-files', 'warbler://chat/bob'])).toEqual({
      kind: 'conversation',
      conversationId: 'bob',
    });
    expect(deepLinkInArgv(['/opt/Warbler/warbler', '--hidden'])).toBeUndefined();
  });
});
