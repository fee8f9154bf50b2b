// Which Chromium the end-to-end tests drive: WARBLER_CHROMIUM, else Debian's /usr/bin/chromium,
// else the browser `npx playwright install chromium` put in Playwright's cache.
import fs from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_HELP =
  'no Chromium for the end-to-end tests: install one (Debian/Ubuntu: apt-get install chromium; anywhere: npx playwright install chromium) or set WARBLER_CHROMIUM to its binary';

/** The browser's path, or null when none is there. A WARBLER_CHROMIUM that does not exist is null too: it was meant. */
export function findChromium(env = process.env) {
  if (env.WARBLER_CHROMIUM) return fs.existsSync(env.WARBLER_CHROMIUM) ? env.WARBLER_CHROMIUM : null;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    const installed = chromium.executablePath();
    return installed && fs.existsSync(installed) ? installed : null;
  } catch {
    return null;
  }
}
