import { describe, expect, it } from 'vitest';
import { SHOWN_TOASTS, toastStack } from './toast-stack.js';

const toast = (id: string, priority?: number) => ({ id, priority });

describe('the toast stack', () => {
  it('shows the newest three and counts the rest', () => {
    const { shown, more } = toastStack([toast('a'), toast('b'), toast('c'), toast('d'), toast('e')]);
    expect(shown.map((t) => t.id)).toEqual(['e', 'd', 'c']);
    expect(shown).toHaveLength(SHOWN_TOASTS);
    expect(more).toBe(2);
  });

  it('puts max-priority pushes first, however old', () => {
    const { shown, more } = toastStack([toast('urgent', 5), toast('b', 3), toast('c'), toast('d', 4)]);
    expect(shown.map((t) => t.id)).toEqual(['urgent', 'd', 'c']);
    expect(more).toBe(1);
  });

  it('counts nothing when all fit', () => {
    expect(toastStack([toast('a')])).toEqual({ shown: [toast('a')], more: 0 });
    expect(toastStack([])).toEqual({ shown: [], more: 0 });
  });
});
