// The encrypted history's key in the app: a history this process cannot open shows the unlock
// screen (what happened, and the ways back) instead of the app; the recovery passphrase is set in
// the app and is what opens it when the key file is gone; with no passphrase, the reset starts afresh.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { accountButton, openAccountDialog, say, startChat, test } from '../app.js';
import { runCli } from '../processes.js';

test('a passphrase-protected history opens locked; the wrong passphrase is refused, the right one opens it', async ({ browser, people, workDir }) => {
  const passphrase = { WARBLER_PASSPHRASE: 'alice keeps this one' };
  await runCli(['--profile', path.join(workDir, 'alice'), '--server', people.relay, 'register', 'alice'], passphrase);
  await runCli(['--profile', path.join(workDir, 'bob'), '--server', people.relay, 'register', 'bob']);
  await runCli(['--profile', path.join(workDir, 'bob'), 'send', 'alice', 'waiting behind the lock']);

  // The web host gets no passphrase: the page asks for it.
  const page = await people.open(browser, 'alice');
  await expect(page.getByRole('heading', { name: 'Your message history is locked', level: 1 })).toBeVisible();
  await expect(page.getByText('Your history is encrypted with a passphrase.')).toBeVisible();
  await expect(page.getByText(`The history of alice on ${people.relay}.`)).toBeVisible();

  await page.getByLabel('Passphrase', { exact: true }).fill('not what alice keeps');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong passphrase.');
  await expect(page.getByRole('heading', { name: 'Your message history is locked' })).toBeVisible();

  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase.WARBLER_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(accountButton(page, 'alice')).toBeVisible();
  await page.getByRole('button', { name: /^bob/ }).click();
  await expect(page.getByRole('log', { name: 'Conversation with bob' }).getByText('waiting behind the lock')).toBeVisible();
});

test('a recovery passphrase set in the app opens the history when its key file is gone', async ({ browser, people, workDir }) => {
  // Three pages and two Argon2id derivations: on a 2-core machine running the suite this takes
  // close to a minute by itself.
  test.setTimeout(120_000);
  const carol = await people.join(browser, 'carol');
  await people.join(browser, 'dave');
  await startChat(carol, 'dave');
  await say(carol, 'kept through the lost key');

  const panel = (await openAccountDialog(carol, 'Settings')).getByRole('region', { name: 'Recovery passphrase' });
  await expect(panel.getByText('No recovery passphrase yet.')).toBeVisible();
  await panel.getByLabel('New passphrase').fill('carol recovers with this');
  await panel.getByLabel('Repeat the passphrase').fill('carol recovers with that');
  await panel.getByRole('button', { name: 'Set recovery passphrase' }).click();
  await expect(panel.getByRole('alert')).toHaveText('The two passphrases differ.');
  await panel.getByLabel('Repeat the passphrase').fill('carol recovers with this');
  await panel.getByRole('button', { name: 'Set recovery passphrase' }).click();
  await expect(panel.getByRole('status')).toHaveText('Recovery passphrase saved.');
  await expect(panel.getByText('A recovery passphrase is set.')).toBeVisible();

  await people.stop('carol');
  fs.renameSync(path.join(workDir, 'carol', 'history.key'), path.join(workDir, 'carol-lost.key'));
  const again = await people.open(browser, 'carol');
  await expect(again.getByText('The key file that opens your history is missing from your profile folder.')).toBeVisible();
  await again.getByLabel('Passphrase', { exact: true }).fill('carol recovers with this');
  await again.getByRole('button', { name: 'Unlock' }).click();
  await expect(accountButton(again, 'carol')).toBeVisible();
  await again.getByRole('button', { name: /^dave/ }).click();
  await expect(again.getByRole('log', { name: 'Conversation with dave' }).getByText('kept through the lost key')).toBeVisible();
});

test('with no passphrase, the reset sets the locked files aside and the first-run screen says where', async ({ browser, people, workDir }) => {
  await people.join(browser, 'erin');
  await people.stop('erin');
  fs.renameSync(path.join(workDir, 'erin', 'history.key'), path.join(workDir, 'erin-lost.key'));

  const page = await people.open(browser, 'erin');
  await expect(page.getByRole('heading', { name: 'Your message history is locked' })).toBeVisible();
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Set aside and start over' }).click();
  await page.getByRole('button', { name: 'Yes, set it aside' }).click();
  await expect(page.getByRole('button', { name: 'Create account' })).toBeVisible();
  const aside = fs.readdirSync(path.join(workDir, 'erin')).find((name) => name.startsWith('set-aside-'));
  expect(aside).toBeDefined();
  await expect(page.getByText(`Your earlier history was set aside in ${path.join(workDir, 'erin', aside!)}.`)).toBeVisible();
  expect(fs.readdirSync(path.join(workDir, 'erin', aside!)).sort()).toEqual(['history-key.json', 'history.sqlite', 'profile.json']);
});
