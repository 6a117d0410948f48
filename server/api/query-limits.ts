// The histogram routes' query parameters as plain data: names, choices, limits and defaults.
// Pure and dependency-free, so the server's validation, its OpenAPI document and the client's
// own checks all read the same numbers.

/** Depths a histogram can be counted at; 16 counts 16-bit images over 0..65535. */
export const DEPTHS = [8, 16] as const;
export type Depth = (typeof DEPTHS)[number];
export const DEFAULT_DEPTH: Depth = 8;

/** Largest `bins` for each depth asked (a depth's whole scale: one value per bin). */
export const MAX_BINS: Readonly<Record<Depth, number>> = { 8: 256, 16: 65536 };
export const MIN_BINS = 1;
export const DEFAULT_BINS = 256;

/** `range` keywords; anything else must be `LO,HI`. */
export const RANGE_KEYWORDS = ['full', 'data'] as const;
export type RangeKeyword = (typeof RANGE_KEYWORDS)[number];
/** What the answer's `range` field says: `explicit` for `LO,HI`. */
export type RangeKind = RangeKeyword | 'explicit';

/** `mask` choices; without the parameter the answer says `none`. */
export const MASKS = ['alpha'] as const;
export type MaskName = (typeof MASKS)[number] | 'none';

export const OUTPUT_FORMATS = ['json', 'png', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const CHART_SCALES = ['linear', 'log'] as const;
export const CHART_TYPES = ['line', 'bar'] as const;

/** Chart size limits and defaults, in pixels. */
export const CHART_WIDTH = { min: 200, max: 4000, default: 800 } as const;
export const CHART_HEIGHT = { min: 100, max: 3000, default: 400 } as const;

export const CHANNEL_NAMES = ['red', 'green', 'blue', 'alpha', 'luma'] as const;

/** Every query parameter the histogram routes know; any other name is refused. */
export const QUERY_PARAMETERS = ['bins', 'depth', 'range', 'mask', 'channels', 'format', 'width', 'height', 'scale', 'type'] as const;
export type QueryParameterName = (typeof QUERY_PARAMETERS)[number];
