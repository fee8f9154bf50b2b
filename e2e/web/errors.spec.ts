// Errors as a person sees them, in their language: the relay's refusals and this device's are shown
// by their code's text (here in Simplified Chinese, as the browser asks), never the English message
// the relay wrote for programs; a failure nobody expected is one generic line, its detail in the log.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { accountButton, openAccountDialog, test } from '../app.js';
import { listZhCN } from '../../renderer/src/locales/list.zh-CN.js';

const NEW_CHAT = listZhCN.newChat;

test('a person reading Chinese sees the relay’s refusals in Chinese', async ({ browser, people }) => {
  await people.join(browser, 'alice');
  const page = await people.open(browser, 'zhang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '欢迎使用 Warbler', level: 1 })).toBeVisible();

  await page.getByLabel('用户名').fill('Alice');
  await page.getByRole('button', { name: '创建账户' }).click();
  await expect(page.getByRole('alert')).toHaveText('该用户名已被占用，请换一个。');
  // Not a word of what the relay wrote for programs.
  await expect(page.locator('body')).not.toContainText('taken');

  await page.getByLabel('用户名').fill('zhang');
  await page.getByRole('button', { name: '创建账户' }).click();
  await expect(accountButton(page, 'zhang')).toBeVisible();

  await page.getByRole('button', { name: NEW_CHAT, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: NEW_CHAT });
  await dialog.getByLabel('用户名').fill('nobody');
  await dialog.getByRole('button', { name: '开始聊天' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('没有名为 nobody 的用户。');
  await expect(page.locator('body')).not.toContainText('no user is called');

  // A chat with oneself is the note to self, named in the UI's language.
  await dialog.getByLabel('用户名').fill('zhang');
  await dialog.getByRole('button', { name: '开始聊天' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: '给自己的备忘', level: 2 })).toBeVisible();
  await expect(page.getByText('只有你的设备能看到')).toBeVisible();
});

test('a failure nobody expected shows one generic line; what happened is in the host’s log', async ({ browser, people, workDir }) => {
  const page = await people.open(browser, 'li', 'zh-CN');
  await page.getByLabel('用户名').fill('li');
  await page.getByRole('button', { name: '创建账户' }).click();
  await expect(accountButton(page, 'li')).toBeVisible();

  const settings = await openAccountDialog(page, '设置');
  const notify = settings.getByRole('checkbox', { name: '显示通知' });
  await expect(notify).toBeChecked();
  // The disk refuses the settings file: a folder now holds its name.
  const profile = path.join(workDir, 'li');
  fs.rmSync(path.join(profile, 'settings.json'), { force: true });
  fs.mkdirSync(path.join(profile, 'settings.json', 'in-the-way'), { recursive: true });
  await notify.click();

  await expect(settings.getByRole('alert')).toHaveText('出了点问题。详细信息已记录在 Warbler 的日志中。');
  await expect(page.locator('body')).not.toContainText('EISDIR');
  await expect(page.locator('body')).not.toContainText('internal error');
  // The change did not happen, and the box says so.
  await expect(notify).toBeChecked();
  const logs = fs.readdirSync(path.join(profile, 'logs')).map((name) => fs.readFileSync(path.join(profile, 'logs', name), 'utf8'));
  const failed = logs
    .join('')
    .split('\n')
    .filter((line) => line.includes('"msg":"request failed"'));
  expect(failed).toHaveLength(1);
  expect(failed[0]).toContain('"channel":"settings:set"');
});
