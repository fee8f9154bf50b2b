import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { autostartDir, autostartEntry, linuxAutostartEnabled, setLinuxAutostart } from './autostart.js';

describe('start at login on Linux', () => {
  it('writes and removes an XDG autostart entry that starts hidden', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-home-'));
    const dir = autostartDir({}, home);
    expect(dir).toBe(path.join(home, '.config', 'autostart'));
    setLinuxAutostart(dir, true, '/opt/My Apps/Warbler.AppImage');
    expect(linuxAutostartEnabled(dir)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'warbler.desktop'), 'utf8')).toContain('Exec="/opt/My Apps/Warbler.AppImage" --hidden\n');
    setLinuxAutostart(dir, false, '/opt/warbler');
    expect(linuxAutostartEnabled(dir)).toBe(false);
  });

  it('quotes what the desktop-entry spec reserves', () => {
    expect(autostartEntry('/usr/bin/warbler', ['a"b$c'])).toContain('Exec=/usr/bin/warbler "a\\"b\\$c" --hidden');
    expect(autostartDir({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/autostart');
  });
});
