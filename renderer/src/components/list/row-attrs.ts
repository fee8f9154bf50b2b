// The virtualized list measures each row by its own element. Rows are the messages' <li>s
// themselves (tests, styles and screen readers know them so), so the list hands what it measures
// them by down to whichever line a message renders as.
import { createContext, type RefCallback, useContext } from 'react';

export interface RowAttrs {
  'data-index'?: number;
  ref?: RefCallback<HTMLLIElement>;
}

const NONE: RowAttrs = {};

export const RowAttrsContext = createContext<RowAttrs>(NONE);

/** What the row element of a message must carry; nothing outside a virtualized list. */
export function useRowAttrs(): RowAttrs {
  return useContext(RowAttrsContext);
}
