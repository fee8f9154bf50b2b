// axe-core on every main screen, in both themes and both languages: no violations. The screens are
// reached as a person reaches them, and checked as a whole, so whatever a screen shows is covered.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { en } from '../../renderer/src/locales/en.js';
import { zhCN } from '../../renderer/src/locales/zh-CN.js';
import { accountButton, openAccountDialog, startChat, test } from '../app.js';
import { runCli } from '../processes.js';

const LANGUAGES = { en, 'zh-CN': zhCN } as const;
type Language = keyof typeof LANGUAGES;

/** Both themes (as the system's choice: the same colours a choice in Settings gives), each screen photographed. */
async function expectAccessible(page: Page, testInfo: TestInfo, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const found = violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`));
    const name = `${screen}-${colorScheme}`;
    await testInfo.attach(name, { body: await page.screenshot({ path: testInfo.outputPath(`${name}.png`) }), contentType: 'image/png' });
    // Soft: one run lists every screen's violations, not only the first screen's.
    expect.soft(found, `${screen} in ${colorScheme}`).toEqual([]);
  }
}

async function say(page: Page, t: (typeof LANGUAGES)[Language], text: string): Promise<void> {
  const composer = page.getByLabel(t.composer.label, { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
}

async function publish(relay: string, topic: string, body: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(`${relay}/${topic}`, { method: 'POST', headers, body });
  expect(response.status, await response.text()).toBe(200);
}

for (const language of Object.keys(LANGUAGES) as Language[]) {
  const t = LANGUAGES[language];

  async function register(page: Page): Promise<void> {
    await page.getByLabel(t.firstRun.username).fill('alice');
    await page.getByRole('button', { name: t.firstRun.submit }).click();
    await expect(accountButton(page, 'alice')).toBeVisible();
  }

  test(`first run, chats, a group, and a narrow window (${language})`, async ({ browser, people }, testInfo) => {
    test.setTimeout(240_000);
    const bob = await people.join(browser, 'bob');
    const page = await people.open(browser, 'alice', language);
    await expect(page.getByRole('button', { name: t.firstRun.submit })).toBeVisible();
    await expectAccessible(page, testInfo, 'first-run');
    await register(page);
    await expectAccessible(page, testInfo, 'chats-empty');

    await startChat(bob, 'alice');
    await say(bob, en, 'Hello **alice**, the plan is at https://example.org/plan');
    await page.getByRole('button', { name: /^bob/ }).click();
    await expect(page.getByRole('log').getByText(/the plan is at/)).toBeVisible();
    await say(page, t, 'Thanks, reading it now');
    await expect(page.getByRole('log').getByText('Thanks, reading it now')).toBeVisible();
    await expectAccessible(page, testInfo, 'conversation');
    await page.getByRole('button', { name: t.safety.open, exact: true }).click();
    await expect(page.getByRole('dialog').locator('[data-safety-number]')).toBeVisible();
    await expectAccessible(page, testInfo, 'safety-number');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: t.list.newChat, exact: true }).click();
    await expectAccessible(page, testInfo, 'new-chat');
    const form = page.getByRole('dialog', { name: t.list.newChat }).getByRole('form', { name: t.newGroup.heading });
    await form.getByLabel(t.newGroup.name).fill('Weekend trip');
    await form.getByLabel(t.newGroup.members, { exact: true }).fill('bob');
    await form.getByRole('button', { name: t.newGroup.submit }).click();
    await expect(page.getByRole('heading', { name: 'Weekend trip', level: 2 })).toBeVisible();
    await say(page, t, 'Who brings the tent?');
    await expectAccessible(page, testInfo, 'group');
    await page.getByRole('button', { name: t.group.members, exact: true }).click();
    await expect(page.getByRole('dialog', { name: t.group.membersOf.replace('{{name}}', 'Weekend trip') })).toBeVisible();
    await expectAccessible(page, testInfo, 'members');
    await page.keyboard.press('Escape');

    await page.setViewportSize({ width: 420, height: 800 });
    await expectAccessible(page, testInfo, 'group-narrow');
  });

  test(`the notification center with pushes, and settings (${language})`, async ({ browser, people }, testInfo) => {
    test.setTimeout(240_000);
    const page = await people.open(browser, 'alice', language);
    await register(page);
    await page.getByRole('button', { name: new RegExp(`^${t.push.open}`) }).click();
    await page.getByRole('button', { name: t.pushSubscriptions.subscribeHeading }).click();
    const subscribe = page.getByRole('dialog', { name: t.pushSubscriptions.subscribeHeading });
    await subscribe.getByRole('textbox', { name: t.pushSubscriptions.topic, exact: true }).fill('http://elsewhere.example/ops-alerts');
    await subscribe.getByRole('button', { name: t.pushSubscriptions.submit, exact: true }).click();
    await expect(subscribe.getByRole('alert')).toBeVisible();
    await expectAccessible(page, testInfo, 'subscribe-refused');
    await subscribe.getByRole('textbox', { name: t.pushSubscriptions.topic, exact: true }).fill('ops-alerts');
    await subscribe.getByRole('button', { name: t.pushSubscriptions.submit, exact: true }).click();
    await expect(subscribe).toHaveCount(0);
    await publish(people.relay, 'ops-alerts', 'Disk at 91% on db-1', { Title: 'Disk space', Priority: 'urgent', Tags: 'warning,rotating_light' });
    await publish(people.relay, 'ops-alerts', 'Backup done in **4 min**', { Title: 'nightly', Priority: 'high', Tags: 'white_check_mark', Markdown: 'yes' });
    await publish(people.relay, 'ops-alerts', 'Deploy of web finished', { Priority: 'low' });
    await publish(people.relay, 'ops-alerts', 'Certificate renewed', {});
    await publish(people.relay, 'ops-alerts', 'Queue drained', { Priority: 'min', Tags: 'tada' });
    await expect(page.getByText('Queue drained')).toBeVisible();
    await expectAccessible(page, testInfo, 'notifications');
    await page.getByRole('button', { name: t.pushSubscriptions.settingsLabel.replace('{{topic}}', 'ops-alerts') }).click();
    await expect(page.getByRole('dialog', { name: t.pushSubscriptions.settingsTitle.replace('{{topic}}', 'ops-alerts') })).toBeVisible();
    await expectAccessible(page, testInfo, 'topic-settings');
    await page.keyboard.press('Escape');

    await openAccountDialog(page, t.settings.open);
    await expectAccessible(page, testInfo, 'settings');
    await page.setViewportSize({ width: 420, height: 800 });
    await expectAccessible(page, testInfo, 'settings-narrow');
  });

  test(`the unlock screen (${language})`, async ({ browser, people, workDir }, testInfo) => {
    test.setTimeout(180_000);
    await runCli(['--profile', path.join(workDir, 'alice'), '--server', people.relay, 'register', 'alice'], { WARBLER_PASSPHRASE: 'alice keeps this one' });
    const page = await people.open(browser, 'alice', language);
    await expect(page.getByRole('button', { name: t.vault.unlock })).toBeVisible();
    await expectAccessible(page, testInfo, 'unlock');
    await page.getByLabel(t.vault.passphrase, { exact: true }).fill('not the one');
    await page.getByRole('button', { name: t.vault.unlock }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page, testInfo, 'unlock-refused');
  });
}
