/** Fixed geometry of the grid (fixed row height keeps virtualization exact and cheap). */
export const ROW_HEIGHT = 36;
export const HEADER_HEIGHT = 40;
export const SELECTOR_WIDTH = 76;
/** Rows per request: a screenful many times over, small enough to answer in a few ms. */
export const PAGE_SIZE = 200;
/** Start loading the next page this many rows before the end. */
export const PREFETCH_ROWS = 60;
