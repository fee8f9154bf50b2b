// The narrow layout (a window snapped to a third, a phone-sized tab): the list of conversations or
// the open conversation, one at a time, as wide as the window. The stylesheet (screens.css, "narrow
// window") lays it out under the same width; the page asks only where focus and shortcuts must go.
export const NARROW_LAYOUT = '(max-width: 700px)';

export function isNarrowLayout(): boolean {
  return window.matchMedia(NARROW_LAYOUT).matches;
}
