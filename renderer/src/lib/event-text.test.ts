import { describe, expect, it } from 'vitest';
import { standaloneI18n } from './i18n-options.js';
import { eventLineText, groupEventText, timerChangeText, type EventI18n } from './event-text.js';

const i18nIn = (lng: 'en' | 'zh-CN'): EventI18n => standaloneI18n(lng);

const english = i18nIn('en');
const chinese = i18nIn('zh-CN');

describe('group event text', () => {
  it('names this account "You"/"you" and lists the others in the language of the page', () => {
    const add = { action: 'add' as const, actor: 'alice', subjects: ['bob', 'carol', 'dave'], name: 'Trip' };
    expect(groupEventText(english, add, 'bob')).toBe('alice added you, carol, and dave');
    expect(groupEventText(english, add, 'alice')).toBe('You added bob, carol, and dave');
    expect(groupEventText(chinese, add, 'alice')).toBe('你 添加了 bob、carol和dave');
  });

  it('says each action', () => {
    const of = (action: 'create' | 'remove' | 'leave' | 'rename') => ({ action, actor: 'alice', subjects: ['carol'], name: 'Climbing' });
    expect(groupEventText(english, of('create'), 'bob')).toBe('alice created the group “Climbing”');
    expect(groupEventText(english, of('remove'), 'bob')).toBe('alice removed carol');
    expect(groupEventText(english, of('leave'), 'bob')).toBe('alice left the group');
    expect(groupEventText(english, of('rename'), 'bob')).toBe('alice renamed the group to “Climbing”');
    expect(groupEventText(chinese, of('remove'), 'alice')).toBe('你 移除了 carol');
    expect(groupEventText(chinese, of('leave'), 'bob')).toBe('alice 退出了群组');
  });
});

describe('timer change text', () => {
  it('says who set it, to what, with the duration in the language of the page', () => {
    expect(timerChangeText(english, { actor: 'alice', expiresIn: 3600_000 }, 'bob')).toBe('alice set disappearing messages to 1 hour');
    expect(timerChangeText(english, { actor: 'alice', expiresIn: 3600_000 }, 'alice')).toBe('You set disappearing messages to 1 hour');
    expect(timerChangeText(chinese, { actor: 'alice', expiresIn: 7 * 24 * 3600_000 }, 'alice')).toBe('你 将阅后即焚设为 1周');
    expect(timerChangeText(chinese, { actor: 'bob', expiresIn: null }, 'alice')).toBe('bob 关闭了阅后即焚');
  });
});

describe('event line text', () => {
  it('is the event or the timer change, or null for a line without either', () => {
    expect(eventLineText(chinese, { event: { action: 'leave', actor: 'bob', subjects: [], name: 'Trip' } }, 'alice')).toBe('bob 退出了群组');
    expect(eventLineText(chinese, { event: null, timerChange: { actor: 'bob', expiresIn: 30_000 } }, 'alice')).toBe('bob 将阅后即焚设为 30秒钟');
    expect(eventLineText(chinese, { event: null }, 'alice')).toBeNull();
    expect(eventLineText(english, {}, 'alice')).toBeNull();
  });
});
