// Theme and language chosen in Settings: applied at once, kept across a reload, and the page's very
// first frame already in the chosen theme (a dark choice never flashes a light page).
import { expect, type Page } from '@playwright/test';
import { accountButton, keep, openAccountDialog, say, startChat, test } from '../app.js';

const LIGHT_BG = 'rgb(246, 247, 249)';
const DARK_BG = 'rgb(17, 20, 24)';

// Run in the page before its own scripts (as text: this project's e2e code is typed without the DOM's
// types). The page's background and theme when the document is parsed and at the first frame.
const RECORD_FIRST_PAINT = `(() => {
  const seen = (window.__firstPaint = {});
  const look = (when) => {
    const root = document.documentElement;
    seen[when] = { background: getComputedStyle(root).backgroundColor, theme: root.getAttribute('data-theme') };
  };
  document.addEventListener('DOMContentLoaded', () => look('parsed'));
  requestAnimationFrame(() => look('frame'));
})()`;

const background = (page: Page) => page.evaluate('getComputedStyle(document.documentElement).backgroundColor');

function openSettings(page: Page, name = 'Settings') {
  return openAccountDialog(page, name);
}

test('a dark theme applies at once, holds after a reload and is there from the first frame', async ({ browser, people }, testInfo) => {
  const page = await people.join(browser, 'alice');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => background(page)).toBe(LIGHT_BG);

  const settings = await openSettings(page);
  await expect(settings.getByRole('radio', { name: 'System' })).toBeChecked();
  await settings.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => background(page)).toBe(DARK_BG);
  await keep(page, testInfo, 'settings-dark');

  await page.addInitScript(RECORD_FIRST_PAINT);
  await page.reload();
  await expect(accountButton(page, 'alice')).toBeVisible();
  const first = (await page.evaluate('window.__firstPaint')) as Record<string, { background: string; theme: string | null }>;
  expect(first.parsed).toEqual({ background: DARK_BG, theme: 'dark' });
  expect(first.frame).toEqual({ background: DARK_BG, theme: 'dark' });
  expect(await background(page)).toBe(DARK_BG);

  // Light overrides a dark system; System follows the system's choice as it changes.
  await page.emulateMedia({ colorScheme: 'dark' });
  const again = await openSettings(page);
  await expect(again.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await again.getByRole('radio', { name: 'Light' }).check();
  await expect.poll(() => background(page)).toBe(LIGHT_BG);
  await again.getByRole('radio', { name: 'System' }).check();
  await expect.poll(() => background(page)).toBe(DARK_BG);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => background(page)).toBe(LIGHT_BG);
});

test('the theme is a keyboard radio group: arrows move the choice', async ({ browser, people }) => {
  const page = await people.join(browser, 'alice');
  const settings = await openSettings(page);
  const system = settings.getByRole('radio', { name: 'System' });
  await system.focus();
  await page.keyboard.press('ArrowRight');
  await expect(settings.getByRole('radio', { name: 'Light' })).toBeChecked();
  await expect(settings.getByRole('radio', { name: 'Light' })).toBeFocused();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('简体中文 chosen in Settings: the UI and its times are Chinese at once and after a reload', async ({ browser, people }, testInfo) => {
  await people.join(browser, 'bob');
  const page = await people.join(browser, 'alice');
  await startChat(page, 'bob');
  await say(page, 'hello');
  const time = page.getByRole('log').locator('li.message time').first();
  const day = page.getByRole('log').locator('li.day-line');
  await expect(time).toHaveText(/AM|PM/);
  await expect(day).toHaveText('Today');

  // The browser speaks English and the address names no language: only the setting decides.
  await page.goto(page.url().replace(/[?&]lang=en\b/, ''));
  await expect(accountButton(page, 'alice')).toBeVisible();
  const settings = await openSettings(page);
  await settings.getByLabel('Language').selectOption({ label: '简体中文' });
  await expect(page.getByRole('dialog', { name: '设置' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await keep(page, testInfo, 'settings-zh-CN');
  await page.getByRole('dialog', { name: '设置' }).getByRole('button', { name: '关闭' }).click();
  await page.getByRole('button', { name: /^bob/ }).click();
  await expect(time).not.toHaveText(/AM|PM/);
  await expect(day).toHaveText('今天');

  await page.reload();
  await expect(accountButton(page, 'alice')).toBeVisible();
  const again = await openSettings(page, '设置');
  await expect(again.getByLabel('语言')).toHaveValue('zh-CN');
  // English again, by the same menu in Chinese.
  await again.getByLabel('语言').selectOption({ label: 'English' });
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
});
