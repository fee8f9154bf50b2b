// The first-run form as a newcomer meets it: the username checked as it is typed (its shape at
// once, whether it is free by the relay), and the relay's address folded under "Advanced".
import { expect } from '@playwright/test';
import { accountButton, keep, test } from '../app.js';

test('the username is checked as it is typed, and the relay address waits under Advanced', async ({ browser, people }, testInfo) => {
  await people.join(browser, 'alice');
  const page = await people.open(browser, 'newcomer');
  const username = page.getByLabel('Username');
  const check = page.locator('.username-check');
  await expect(username).toBeFocused();

  // The relay's address is filled in and out of the way.
  const serverUrl = page.getByLabel('Server URL');
  await expect(serverUrl).toHaveValue(people.relay);
  await expect(serverUrl).toBeHidden();
  await page.getByText('Advanced', { exact: true }).click();
  await expect(serverUrl).toBeVisible();

  await username.fill('1abc');
  await expect(check).toHaveText('Not a username yet: see the rule below.');
  await expect(username).toHaveAttribute('aria-invalid', 'true');
  await username.fill('Alice');
  await expect(check).toHaveText('alice is taken: try another');
  await expect(username).toHaveAccessibleDescription(/alice is taken/);
  const create = page.getByRole('button', { name: 'Create account' });
  await expect(create).toBeDisabled();
  await keep(page, testInfo, 'first-run-taken-light');
  await username.fill('alice.w');
  await expect(check).toHaveText('alice.w is free');
  await expect(username).toHaveAttribute('aria-invalid', 'false');
  await page.emulateMedia({ colorScheme: 'dark' });
  await keep(page, testInfo, 'first-run-free-dark');
  await create.click();
  await expect(accountButton(page, 'alice.w')).toBeVisible();
});

test('in Chinese, narrow: the check speaks the UI language', async ({ browser, people }, testInfo) => {
  await people.join(browser, 'bob');
  const page = await people.open(browser, 'newcomer', 'zh-CN');
  await page.setViewportSize({ width: 420, height: 800 });
  await page.getByLabel('用户名').fill('bob');
  await expect(page.locator('.username-check')).toHaveText('bob 已被占用，请换一个');
  await page.getByText('高级', { exact: true }).click();
  await expect(page.getByLabel('服务器地址')).toBeVisible();
  await keep(page, testInfo, 'first-run-narrow-zh');
});
