import { describe, expect, it } from 'vitest';
import { nestsWithin } from './json-depth.js';

describe('nestsWithin', () => {
  it('counts arrays and objects together', () => {
    expect(nestsWithin('{"a":[{"b":[1]}]}', 4)).toBe(true);
    expect(nestsWithin('{"a":[{"b":[1]}]}', 3)).toBe(false);
    expect(nestsWithin('[]', 1)).toBe(true);
    expect(nestsWithin('"flat"', 0)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsWithin('{"a":"[[[[{{{{"}', 1)).toBe(true);
    expect(nestsWithin('{"a":"\\"[[[[","b":1}', 1)).toBe(true);
    expect(nestsWithin('["\\\\",[[]]]', 2)).toBe(false);
  });

  it('refuses a million brackets at the limit, not the end', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(nestsWithin(deep, 16)).toBe(false);
    expect(nestsWithin('[[["x"]]]', 3)).toBe(true);
  });
});
