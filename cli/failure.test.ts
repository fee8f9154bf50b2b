import { describe, expect, it } from 'vitest';
import { RelayError } from '../core/relay/error.js';
import { VaultError } from '../core/vault/key-source.js';
import { UsageError, failureLine } from './failure.js';

describe('the line the CLI prints when it fails', () => {
  it('is the English message of an error core raised on purpose, with the CLI’s hint', () => {
    expect(failureLine(new RelayError('username_taken', 'the username "alice" is taken'))).toBe('warbler: the username "alice" is taken');
    expect(failureLine(new VaultError('wrong_passphrase', 'wrong passphrase'))).toBe('warbler: wrong passphrase (WARBLER_PASSPHRASE)');
    expect(failureLine(new UsageError('send needs NAME and TEXT'))).toBe('warbler: send needs NAME and TEXT (see warbler --help)');
  });

  it('is one line for an unexpected error: never its stack, nor the lines after its first', () => {
    const surprise = new TypeError("Cannot read properties of undefined (reading 'devices')\n    while opening /home/alice/profile");
    expect(surprise.stack).toContain('    at ');
    const line = failureLine(surprise);
    expect(line).toBe("warbler: Cannot read properties of undefined (reading 'devices')");
    expect(line).not.toContain('\n');
  });

  it('says "internal error" when what was thrown has nothing to say', () => {
    expect(failureLine(new Error(''))).toBe('warbler: internal error');
    expect(failureLine({ not: 'an error' })).toBe('warbler: internal error');
    expect(failureLine('a reason thrown as a string')).toBe('warbler: a reason thrown as a string');
  });
});
