// The app's shell: a rail of views (Chats, Notifications) with the account at its foot, the
// account's dialogs, and the keyboard shortcuts, with focus where a keyboard user expects it.
import { expect, type Locator, type Page } from '@playwright/test';
import { accountButton, keep, openAccountDialog, say, startChat, subscribeTopic, test } from '../app.js';

/** Focus is on something inside that element. */
async function expectFocusWithin(area: Locator): Promise<void> {
  await expect(area.locator(':focus')).toHaveCount(1);
}

function rail(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main' });
}

test('the rail switches between the chats and the notification center, by click and by shortcut', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const chats = rail(alice).getByRole('button', { name: 'Chats' });
  const notifications = rail(alice).getByRole('button', { name: /^Notifications/ });
  const list = alice.getByRole('navigation', { name: 'Conversations' });
  const center = alice.getByRole('region', { name: 'Notification center' });
  await expect(chats).toHaveAttribute('aria-current', 'page');
  await expect(notifications).not.toHaveAttribute('aria-current', 'page');

  // Its label shows on hover, with the shortcut.
  await chats.hover();
  await expect(chats.getByText('Chats')).toBeVisible();

  // The center takes the chats' place, beside the rail, its topics on the left.
  await notifications.click();
  await expect(center).toBeVisible();
  await expect(list).toBeHidden();
  await expect(notifications).toHaveAttribute('aria-current', 'page');
  await expect(center.getByRole('navigation', { name: 'Topics' }).getByRole('button', { name: 'All topics' })).toHaveAttribute('aria-current', 'true');
  const railBox = await rail(alice).boundingBox();
  const centerBox = await center.boundingBox();
  expect(centerBox!.x).toBeGreaterThanOrEqual(railBox!.x + railBox!.width - 1);
  expect(centerBox!.y).toBeLessThan(5);

  // Ctrl+1: the chats again, focus on the rail (the view it was in is gone); Ctrl+2: the center.
  await alice.keyboard.press('Control+1');
  await expect(list).toBeVisible();
  await expect(center).toHaveCount(0);
  await expect(chats).toHaveAttribute('aria-current', 'page');
  await expect(chats).toBeFocused();
  await alice.keyboard.press('Control+2');
  await expect(center).toBeVisible();
  await expect(center.getByRole('heading', { name: 'Notification center' })).toBeFocused();
  await alice.keyboard.press('Control+1');
  await expect(list).toBeVisible();
});

test('the account menu: arrow keys, Escape, presence, and the dialogs it opens give focus back', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const account = accountButton(alice, 'alice');
  const menu = alice.getByRole('menu', { name: 'Account' });

  // From the keyboard: ArrowDown opens it on its first item; arrows move; Escape closes it, back on the button.
  await account.focus();
  await alice.keyboard.press('ArrowDown');
  await expect(menu).toBeVisible();
  await expect(alice.getByText('Signed in as alice')).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Settings' })).toBeFocused();
  await alice.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Your devices' })).toBeFocused();
  await alice.keyboard.press('ArrowUp');
  await alice.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: 'Keyboard shortcuts' })).toBeFocused();
  await alice.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(account).toBeFocused();

  // Enter on an item: its dialog, modal, focus inside; Escape closes it and focus is on the avatar again.
  await alice.keyboard.press('Enter');
  await menu.getByRole('menuitem', { name: 'Your devices' }).focus();
  await alice.keyboard.press('Enter');
  const devices = alice.getByRole('dialog', { name: 'Your devices' });
  await expect(devices.getByText('This device')).toBeVisible();
  await expectFocusWithin(devices);
  await alice.keyboard.press('Escape');
  await expect(devices).toHaveCount(0);
  await expect(account).toBeFocused();

  // The close button does the same; the link dialog starts in its field.
  const link = await openAccountDialog(alice, 'Link a device');
  await expect(link.getByLabel('Link code')).toBeFocused();
  await link.getByRole('button', { name: 'Close' }).click();
  await expect(link).toHaveCount(0);
  await expect(account).toBeFocused();

  // Presence: online until invisible is chosen, and the choice shows.
  await account.click();
  await expect(menu.getByRole('menuitemradio', { name: 'Online' })).toHaveAttribute('aria-checked', 'true');
  await menu.getByRole('menuitemradio', { name: 'Invisible' }).click();
  await expect(menu).toHaveCount(0);
  await account.click();
  await expect(menu.getByRole('menuitemradio', { name: 'Invisible' })).toHaveAttribute('aria-checked', 'true');
  await alice.keyboard.press('Escape');
});

test('shortcuts open Settings and the shortcuts sheet; focus stays in a dialog and returns after', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'hello bob');
  const composer = alice.getByLabel('Message', { exact: true });
  await composer.focus();

  await alice.keyboard.press('Control+,');
  const settings = alice.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await expectFocusWithin(settings);
  // While it is open, the view shortcuts wait: what is behind stays.
  await alice.keyboard.press('Control+2');
  await expect(alice.getByRole('region', { name: 'Notification center' })).toHaveCount(0);
  await alice.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  await expect(composer).toBeFocused();

  await alice.keyboard.press('Control+/');
  const sheet = alice.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  for (const [action, keys] of [
    ['Show chats', 'Ctrl+1'],
    ['Show notifications', 'Ctrl+2'],
    ['Search all conversations', 'Ctrl+K'],
    ['Search in the open conversation', 'Ctrl+F'],
    ['Open settings', 'Ctrl+,'],
    ['Show keyboard shortcuts', 'Ctrl+/'],
  ]) {
    await expect(sheet.getByRole('row', { name: `${action} ${keys}` })).toBeVisible();
  }
  // Tab cycles within the dialog: the page behind is inert.
  for (let i = 0; i < 4; i++) {
    await alice.keyboard.press('Tab');
    await expectFocusWithin(sheet);
  }
  await sheet.getByRole('button', { name: 'Close' }).click();
  await expect(sheet).toHaveCount(0);
  await expect(composer).toBeFocused();
});

test('an OS notification opens the notifications view from the chats', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  await rail(alice).getByRole('button', { name: /^Notifications/ }).click();
  const center = await subscribeTopic(alice, 'ops');
  await alice.keyboard.press('Control+1');
  await expect(center).toHaveCount(0);

  const response = await fetch(`${people.relay}/ops`, { method: 'POST', headers: { Title: 'deploy done', Priority: 'high' }, body: 'v2 is live' });
  expect(response.status).toBe(200);
  await expect(rail(alice).getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
  await expect(center.getByRole('navigation', { name: 'Topics' })).toHaveCount(0);
  // The in-page notification stands in for the OS one: its click asks the center to open on the push.
  await alice.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: /^Notification: High priority deploy done/ }).click();
  await expect(center).toBeVisible();
  await expect(rail(alice).getByRole('button', { name: /^Notifications/ })).toHaveAttribute('aria-current', 'page');
  await expect(center.locator('[data-push-id]', { hasText: 'v2 is live' })).toBeFocused();
  await expect(center.getByRole('button', { name: /^ops/ })).toContainText('1');
});

test('the shell looked at: wide and narrow, light and dark, English and Chinese', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const bob = await people.join(browser, 'bob');
  const alice = await people.join(browser, 'alice');
  await startChat(bob, 'alice');
  await say(bob, 'the harbour at dusk, shall we?');
  await alice.getByRole('button', { name: /^bob/ }).click();
  for (const scheme of ['light', 'dark'] as const) {
    await alice.emulateMedia({ colorScheme: scheme });
    await alice.setViewportSize({ width: 1280, height: 760 });
    await accountButton(alice).click();
    await expect(alice.getByRole('menu')).toBeVisible();
    await keep(alice, testInfo, `shell-menu-wide-${scheme}`);
    await alice.keyboard.press('Escape');
    await alice.keyboard.press('Control+2');
    await keep(alice, testInfo, `shell-notifications-wide-${scheme}`);
    await alice.keyboard.press('Control+/');
    await keep(alice, testInfo, `shell-shortcuts-wide-${scheme}`);
    await alice.keyboard.press('Escape');
    await alice.keyboard.press('Control+1');
    await alice.setViewportSize({ width: 420, height: 760 });
    await alice.getByRole('button', { name: 'Back to conversations' }).click();
    await keep(alice, testInfo, `shell-list-narrow-${scheme}`);
    await accountButton(alice).click();
    await expect(alice.getByRole('menu')).toBeInViewport({ ratio: 1 });
    await keep(alice, testInfo, `shell-menu-narrow-${scheme}`);
    await alice.keyboard.press('Escape');
    await alice.keyboard.press('Control+2');
    await keep(alice, testInfo, `shell-notifications-narrow-${scheme}`);
    await alice.keyboard.press('Control+1');
    await alice.getByRole('button', { name: /^bob/ }).click();
  }
  // In Chinese, dark: the rail's names and the menu in the reader's language.
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await expect(accountButton(alice, 'alice')).toBeVisible();
  for (const width of [1280, 420]) {
    await alice.setViewportSize({ width, height: 760 });
    await accountButton(alice).click();
    await expect(alice.getByRole('menu', { name: '账户' }).getByRole('menuitem', { name: '设置' })).toBeVisible();
    await keep(alice, testInfo, `shell-menu-zh-${width}`);
    await alice.keyboard.press('Escape');
    const settings = await openAccountDialog(alice, '设置');
    await keep(alice, testInfo, `shell-settings-zh-${width}`);
    await settings.getByRole('button', { name: '关闭' }).click();
  }
});

test('away by choice: others see it at once, and it holds across a reload until Online is chosen', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  // Presence is shown to those alice has written to.
  await startChat(alice, 'bob');
  await say(alice, 'hi');
  await bob.getByRole('button', { name: /^alice/ }).click();
  const status = bob.locator('.conversation-heading').getByText(/^(online|away|offline)$/);
  await expect(status).toHaveText('online');

  const account = accountButton(alice, 'alice');
  const menu = alice.getByRole('menu', { name: 'Account' });
  await account.click();
  await menu.getByRole('menuitemradio', { name: 'Away' }).click();
  await expect(status).toHaveText('away');

  // Kept by core, not the page: a reload (or a restart) does not make alice online again.
  await alice.reload();
  await expect(account).toBeVisible();
  await account.click();
  await expect(menu.getByRole('menuitemradio', { name: 'Away' })).toHaveAttribute('aria-checked', 'true');
  await expect(status).toHaveText('away');
  await menu.getByRole('menuitemradio', { name: 'Online' }).click();
  await expect(status).toHaveText('online');
});
