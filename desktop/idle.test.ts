import { describe, expect, it } from 'vitest';
import { SystemIdlePresence } from './idle.js';

describe('presence from the system idle time', () => {
  it('away after five idle minutes or when the screen locks; online again on input', () => {
    let idle = 0;
    const reports: string[] = [];
    const presence = new SystemIdlePresence({ idleSeconds: () => idle }, (s) => reports.push(s));
    presence.check();
    idle = 299;
    presence.check();
    idle = 300;
    presence.check();
    presence.check();
    idle = 2;
    presence.check();
    presence.screenLocked();
    presence.check();
    presence.screenUnlocked();
    expect(reports).toEqual(['online', 'away', 'online', 'away', 'online']);
  });
});
