import { type KeyboardEvent, type PointerEvent, type RefObject, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIST_WIDTH } from '../../../../shared/desktop-settings.js';
import { updateSettings, useDesktop } from '../../desktop-actions.js';

/** How far (px) an arrow key moves the edge; with Shift, four times as far. */
const STEP = 16;

const clamp = (px: number) => Math.round(Math.min(LIST_WIDTH.max, Math.max(LIST_WIDTH.min, px)));

function keep(listWidth: number | null): void {
  updateSettings({ listWidth }).catch((error: unknown) => console.warn('the list width was not kept', error));
}

/**
 * A copy of the kept width in the page's storage, read for the first paint: the settings come from
 * the host a moment later, and the list must not show the layout's width first and then jump.
 */
const CACHE_KEY = 'warbler.listWidth';

function cachedWidth(): number | null {
  try {
    const px = Number(localStorage.getItem(CACHE_KEY) ?? NaN);
    return Number.isInteger(px) && px >= LIST_WIDTH.min && px <= LIST_WIDTH.max ? px : null;
  } catch {
    return null;
  }
}

function cacheWidth(px: number | null): void {
  try {
    if (px === null) localStorage.removeItem(CACHE_KEY);
    else localStorage.setItem(CACHE_KEY, String(px));
  } catch {
    // Storage refused: the next start shows the layout's width until the settings come.
  }
}

/**
 * The edge between the conversation list and the conversation: dragged, or moved with the arrow
 * keys, it sets the list's width, kept in the settings file for the next start; a double click (or
 * Enter) gives the list back the width the window's layout makes it. `panes` holds both columns.
 */
export function ListResizer({ panes, width, onWidth }: { panes: RefObject<HTMLElement | null>; width: number | null; onWidth: (px: number | null) => void }) {
  const { t } = useTranslation();
  // A press that never moves (a click on the edge) changes nothing, and writes nothing.
  const [dragging, setDragging] = useState<{ moved: boolean } | null>(null);
  const shown = () => width ?? panes.current?.firstElementChild?.getBoundingClientRect().width ?? LIST_WIDTH.min;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    setDragging({ moved: false });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const left = panes.current?.getBoundingClientRect().left;
    if (!dragging || left === undefined) return;
    const px = clamp(e.clientX - left);
    if (px === Math.round(shown())) return;
    if (!dragging.moved) setDragging({ moved: true });
    onWidth(px);
  };
  const onPointerUp = () => {
    if (!dragging) return;
    setDragging(null);
    if (dragging.moved) keep(width);
  };
  const reset = () => {
    onWidth(null);
    keep(null);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? STEP * 4 : STEP;
    const to =
      e.key === 'ArrowLeft' ? clamp(shown() - step) : e.key === 'ArrowRight' ? clamp(shown() + step) : e.key === 'Home' ? LIST_WIDTH.min : e.key === 'End' ? LIST_WIDTH.max : undefined;
    if (e.key === 'Enter') {
      e.preventDefault();
      reset();
      return;
    }
    if (to === undefined) return;
    e.preventDefault();
    onWidth(to);
    keep(to);
  };

  return (
    <div
      className="list-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('shell.listWidth')}
      aria-valuemin={LIST_WIDTH.min}
      aria-valuemax={LIST_WIDTH.max}
      aria-valuenow={Math.round(shown())}
      tabIndex={0}
      data-dragging={dragging !== null || undefined}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={reset}
      onKeyDown={onKeyDown}
    />
  );
}

/** The list's width as the settings say it (as last seen, until they come), while a drag in progress shows its own. */
export function useListWidth(): [number | null, (px: number | null) => void] {
  const loaded = useDesktop((s) => s.settings !== null);
  const fromSettings = useDesktop((s) => s.settings?.listWidth ?? null);
  const [cached] = useState(cachedWidth);
  const kept = loaded ? fromSettings : cached;
  useEffect(() => {
    if (loaded) cacheWidth(fromSettings);
  }, [loaded, fromSettings]);
  const [dragged, setDragged] = useState<{ from: number | null; px: number | null } | null>(null);
  // A width being dragged shows until the settings have it (or change otherwise).
  const width = dragged !== null && dragged.from === kept ? dragged.px : kept;
  return [width, (px) => setDragged({ from: kept, px })];
}
