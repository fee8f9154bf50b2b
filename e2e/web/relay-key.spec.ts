// The relay restored with another key at the same address: the app says so plainly, with the new
// key's fingerprint, and logs in again only once the person chooses to trust it.
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { keep, openAccountDialog, type Relay, test } from '../app.js';
import { generateIdentity, loadSodium } from '../../shared/crypto.js';
import { relayKeyFingerprint } from '../../shared/relay-key.js';

/** The operator brings the relay back with a new signing key (the accounts as they were): its fingerprint. */
async function newRelayKey(relay: Relay): Promise<string> {
  await loadSodium();
  await relay.stop();
  const key = generateIdentity();
  const db = new Database(path.join(relay.dataDir, 'relay.sqlite'));
  db.prepare('UPDATE relay_identity SET public_key = ?, secret_key = ? WHERE id = 1').run(key.publicKey, key.secretKey);
  db.close();
  await relay.start();
  return relayKeyFingerprint(key.publicKey);
}

/** Logged in once: the relay's first key is pinned (the account exists before the first login). */
async function online(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: /^(Connecting…|Offline)/ })).toHaveCount(0);
}

async function looks(page: Page, testInfo: TestInfo, banner: ReturnType<Page['getByRole']>, lang: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 420]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 720 });
      await expect(banner).toBeInViewport();
      await keep(page, testInfo, `relay-key-${lang}-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** Settings shows the fingerprint of the key this device now trusts, looked at in both schemes and widths. */
async function settingsShow(page: Page, testInfo: TestInfo, fingerprint: string, lang: 'en' | 'zh'): Promise<void> {
  const name = lang === 'en' ? 'Settings' : '设置';
  const settings = await openAccountDialog(page, name);
  await expect(settings.getByTestId('relay-fingerprint')).toHaveText(fingerprint);
  await expect(settings.getByTestId('relay-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+/);
  await settings.getByTestId('relay-fingerprint').scrollIntoViewIfNeeded();
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 420]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 720 });
      await expect(settings.getByTestId('relay-fingerprint')).toBeVisible();
      await keep(page, testInfo, `relay-key-settings-${lang}-${scheme}-${width}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 720 });
}

test('a relay with a new key: the person sees its fingerprint and chooses', async ({ browser, people, relay }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  await online(alice);
  const fingerprint = await newRelayKey(relay);

  const banner = alice.getByRole('alert').filter({ hasText: 'The relay’s identity has changed' });
  await expect(banner).toBeVisible({ timeout: 40_000 });
  await expect(banner).toContainText(fingerprint);
  await expect(banner).toContainText('restored from an old backup');
  await looks(alice, testInfo, banner, 'en');

  // Staying disconnected puts the choice away; the reason stays, and Reconnect asks again.
  await banner.getByRole('button', { name: 'Stay disconnected' }).click();
  const stopped = alice.getByRole('alert').filter({ hasText: 'Disconnected:' });
  await expect(stopped).toContainText(fingerprint);
  await expect(stopped.getByRole('button', { name: 'Trust the new key' })).toHaveCount(0);
  await keep(alice, testInfo, 'relay-key-en-declined');
  await stopped.getByRole('button', { name: 'Reconnect' }).click();
  await expect(banner.getByRole('button', { name: 'Trust the new key' })).toBeVisible();

  await banner.getByRole('button', { name: 'Trust the new key' }).click();
  await expect(alice.getByRole('alert')).toHaveCount(0);
  await expect(alice.getByText('Connecting…')).toHaveCount(0);
  await expect(alice.getByText(/^Offline/)).toHaveCount(0);
  await keep(alice, testInfo, 'relay-key-en-trusted');
  await settingsShow(alice, testInfo, fingerprint, 'en');
});

test('the same in Chinese', async ({ browser, people, relay }, testInfo) => {
  test.setTimeout(120_000);
  await online(await people.join(browser, 'alice'));
  await people.stop('alice');
  const fingerprint = await newRelayKey(relay);
  const alice = await people.open(browser, 'alice', 'zh-CN');

  const banner = alice.getByRole('alert').filter({ hasText: '中继服务器的身份已更改' });
  await expect(banner).toBeVisible({ timeout: 40_000 });
  await expect(banner).toContainText(fingerprint);
  await looks(alice, testInfo, banner, 'zh');
  await banner.getByRole('button', { name: '信任新密钥' }).click();
  await expect(alice.getByRole('alert')).toHaveCount(0);
  await expect(alice.getByText('正在连接…')).toHaveCount(0);
  await settingsShow(alice, testInfo, fingerprint, 'zh');
});
