// The virtualized list measures and places each row by attributes on the row's own element. Rows
// are the messages' <li>s themselves (tests, styles and screen readers know them so), so the list
// hands its attributes down to whichever line a message renders as.
import { createContext, type CSSProperties, useContext } from 'react';

export interface RowAttrs {
  'data-index'?: number;
  'data-item-index'?: number;
  'data-known-size'?: number;
  style?: CSSProperties;
}

const NONE: RowAttrs = {};

export const RowAttrsContext = createContext<RowAttrs>(NONE);

/** What the row element of a message must carry; nothing outside a virtualized list. */
export function useRowAttrs(): RowAttrs {
  return useContext(RowAttrsContext);
}
