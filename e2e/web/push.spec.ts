// The notification center: pushes published to the relay's ntfy-style API reach a subscriber,
// live or after being away, and show safely.
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { accountButton, subscribeTopic, test } from '../app.js';
import { startRelay } from '../processes.js';

function center(page: Page) {
  return page.getByRole('region', { name: 'Notification center' });
}

/** The header's button, whatever it counts. */
function notificationsButton(page: Page) {
  return page.getByRole('button', { name: /^Notifications/ });
}

function pushWith(page: Page, text: string) {
  return center(page).getByRole('list', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: text });
}

async function subscribe(page: Page, topic: string): Promise<void> {
  await notificationsButton(page).click();
  const panel = center(page);
  await expect(panel).toBeVisible();
  await subscribeTopic(page, topic);
}

/** As a script would, with curl: the relay's publish API, no account needed. */
async function publish(relay: string, topic: string, body: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`${relay}/${topic}`, { method: 'POST', headers, body });
  expect(response.status, await response.text()).toBe(200);
}

test('a push to a subscribed topic shows in the notification center, and reading it clears the count', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  await subscribe(alice, 'ops-alerts');
  await expect(alice.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();

  await publish(people.relay, 'ops-alerts', 'Backup done', { Title: 'nightly', Priority: 'high', Tags: 'warning' });

  const push = pushWith(alice, 'Backup done');
  await expect(push).toBeVisible();
  await expect(push.getByRole('heading', { name: /nightly/ })).toBeVisible();
  await expect(push).toContainText('⚠️');
  await expect(push).toContainText('High priority');
  await expect(push).toContainText('Unread');
  const counted = alice.getByRole('button', { name: 'Notifications, 1 unread' });
  await expect(counted).toBeVisible();
  await expect(counted).toContainText('1');
  await expect(alice).toHaveTitle('(1) Warbler');

  await push.getByRole('button', { name: 'Mark read' }).click();
  await expect(alice.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
  await expect(push.getByRole('button', { name: 'Mark read' })).toHaveCount(0);
  await expect(push).not.toContainText('Unread');
  await expect(alice).toHaveTitle('Warbler');
});

test('a subscriber who was away sees the push published meanwhile', async ({ browser, people }) => {
  const before = await people.join(browser, 'alice');
  await subscribe(before, 'ops-alerts');
  await people.stop('alice');

  await publish(people.relay, 'ops-alerts', 'Disk almost full', { Title: 'db-1' });

  const alice = await people.open(browser, 'alice');
  await expect(accountButton(alice, 'alice')).toBeVisible();
  await notificationsButton(alice).click();
  await expect(pushWith(alice, 'Disk almost full')).toBeVisible({ timeout: 30_000 });
  await expect(alice.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
});

test('a Markdown push shows as text, and its link opens only when clicked', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  await subscribe(alice, 'ops-alerts');
  const click = `${people.relay}/ops-alerts/raw?poll=1`;
  const message = [
    '**Disk** at `95%`',
    '',
    '<img src=x onerror="document.title=\'pwned\'">',
    '',
    '[runbook](https://runbook.example.org/disk) or [this](javascript:alert(1))',
  ].join('\n');

  await publish(people.relay, 'ops-alerts', message, { Title: 'db-1', Markdown: 'yes', Click: click, Tags: 'rotating_light,db' });

  const push = pushWith(alice, 'runbook');
  await expect(push).toBeVisible();
  await expect(push.locator('strong', { hasText: 'Disk' })).toBeVisible();
  await expect(push.locator('code', { hasText: '95%' })).toBeVisible();
  await expect(push).toContainText('<img src=x onerror=');
  await expect(push.locator('img')).toHaveCount(0);
  await expect(push).toContainText('🚨');
  await expect(push).toContainText('db');
  const runbook = push.getByRole('link', { name: 'runbook' });
  await expect(runbook).toHaveAttribute('href', 'https://runbook.example.org/disk');
  await expect(runbook).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(push.getByRole('link', { name: 'this' })).toHaveCount(0);
  await expect(push).toContainText('[this](javascript:alert(1))');
  expect(alice.context().pages()).toHaveLength(1);

  const opened = alice.context().waitForEvent('page');
  await push.getByRole('button', { name: 'Open link' }).click();
  const popup = await opened;
  await popup.waitForURL(click);
  await expect(alice).not.toHaveTitle('pwned');
});

test('a topic is subscribed to by its URL, and muted and left from its settings sheet', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  await notificationsButton(alice).click();
  const panel = center(alice);
  const opener = panel.getByRole('button', { name: 'Subscribe to a topic' });

  // Another server's topic over plain HTTP is refused; Escape leaves the dialog, focus back where it was.
  await opener.click();
  const dialog = alice.getByRole('dialog', { name: 'Subscribe to a topic' });
  await expect(dialog.getByLabel('Topic', { exact: true })).toBeFocused();
  await dialog.getByLabel('Topic', { exact: true }).fill('http://ntfy.example.net/alerts');
  await dialog.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('ntfy.example.net would be reached over plain HTTP');
  await alice.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();

  // This relay's URL, as a publisher's docs would give it (the JSON stream under the topic).
  await subscribeTopic(alice, 'builds', `${people.relay}/builds/json`);
  await panel.getByRole('button', { name: 'Settings for builds' }).click();
  const sheet = alice.getByRole('dialog', { name: 'Settings for builds' });
  await expect(sheet.locator('pre')).toHaveText(`curl -d "Backup done" ${people.relay}/builds`);
  await sheet.getByRole('checkbox', { name: 'Mute this topic' }).check();
  await expect(sheet.getByLabel('Notify for builds')).toBeDisabled();
  await alice.keyboard.press('Escape');
  await expect(panel.getByRole('navigation').getByRole('button', { name: /^builds/ })).toContainText('Muted');

  // Muted: kept and counted, but no notification.
  await alice.keyboard.press('Control+1');
  await publish(people.relay, 'builds', 'main passed', { Priority: 'high' });
  await expect(alice.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
  await expect(alice.getByRole('region', { name: 'Notifications' }).getByRole('group')).toHaveCount(0);

  await notificationsButton(alice).click();
  await expect(pushWith(alice, 'main passed')).toBeVisible();
  await panel.getByRole('button', { name: 'Settings for builds' }).click();
  await sheet.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(sheet).toHaveCount(0);
  await expect(panel.getByRole('heading', { name: 'Notification center', level: 2 })).toBeFocused();
  await expect(panel.getByRole('button', { name: 'Settings for builds' })).toHaveCount(0);
  await expect(panel.getByText('No subscriptions yet.')).toBeVisible();
});

test('a topic on another ntfy server is followed from its URL, this device reading it directly', async ({ browser, people, workDir }) => {
  const other = await startRelay(path.join(workDir, 'other-server'));
  try {
    const host = new URL(other.url).host;
    await publish(other.url, 'deploys', 'web v41 is live', { Title: 'deploy' });
    const alice = await people.join(browser, 'alice');
    await notificationsButton(alice).click();
    await subscribeTopic(alice, `${host}/deploys`, `${other.url}/deploys`);
    await expect(pushWith(alice, 'web v41 is live')).toBeVisible();
    await publish(other.url, 'deploys', 'web v42 is live', { Priority: 'high' });
    await expect(pushWith(alice, 'web v42 is live')).toContainText('High priority');

    await center(alice).getByRole('button', { name: `Settings for ${host}/deploys` }).click();
    const sheet = alice.getByRole('dialog', { name: `Settings for ${host}/deploys` });
    await expect(sheet).toContainText(`On ${host}: this device connects to it directly`);
    await expect(sheet.locator('pre')).toHaveText(`curl -d "Backup done" ${other.url}/deploys`);
  } finally {
    await other.stop();
  }
});
