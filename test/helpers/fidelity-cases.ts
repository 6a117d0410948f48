// The fidelity case table: one row per input class × the query it checks, each naming the
// counting rule it proves. Expected numbers come from numpy (fidelity-fixtures.py), the
// expected errors from the rule's own words.
import type { OracleCase } from './fidelity-oracle.ts';

export interface FidelityRow {
  fixture: string;
  /** The rule the row checks, in a few words. */
  rule: string;
  /** The query string without `?`, e.g. `depth=16&bins=1000`. */
  query?: string;
  /** Default /v1/histogram. */
  route?: '/v1/histogram' | '/process-image' | '/process-image/';
  /** old-service: `histogram` against np.histogram(np.asarray(img.convert('L')), bins=256). */
  oracle?: 'old-service';
  /** Also check mean, stdev, min, max, median, p01, p99 and entropy of every channel. */
  stats?: boolean;
  /** An error answer instead of 200: its status, code and what its message must say. */
  error?: { status: number; code: string; message: RegExp[] };
  /** The `mask` values accepted where the rule leaves the echo open. */
  acceptMask?: string[];
}

// The spec's words: HEIC names HEIC/HEVC, says this server cannot decode it and what to send
// instead; a sample format without a rule is named, with what is supported (8- and 16-bit).
const heic = { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: [/HEIC|HEVC/, /can ?not|can't|unable|not (be )?decod/i, /JPEG/, /PNG/, /WebP/, /AVIF/] };
const unprocessable = (...message: RegExp[]) => ({ status: 422, code: 'UNPROCESSABLE_IMAGE', message });
const supported = /\b8\b.*\b16\b|\b16\b.*\b8\b/s;

export const rows: FidelityRow[] = [
  // Each class at the default depth 8.
  { fixture: 'gray8.png', rule: '8-bit gray counts its samples; luma is the gray channel' },
  { fixture: 'gray-alpha8.png', rule: '8-bit gray+alpha counts gray and alpha as stored' },
  { fixture: 'rgb8.png', rule: '8-bit RGB counts its samples; luma by (19595R+38470G+7471B+32768)>>16', stats: true },
  { fixture: 'rgba8.png', rule: '8-bit RGBA colour counts every pixel, transparent or not' },
  { fixture: 'icc-rgb8.png', rule: 'an embedded colour profile is not applied: a PNG counts its samples as stored' },
  { fixture: 'icc.jpg', rule: "an embedded colour profile is not applied: a JPEG counts Pillow's decode" },
  { fixture: 'palette.png', rule: 'a palette PNG counts every pixel as its palette colour' },
  { fixture: 'palette-trns.png', rule: 'a palette PNG with tRNS counts transparent pixels as their colour, alpha from tRNS' },
  { fixture: 'opaque.gif', rule: 'a GIF without a transparent index counts its palette colours' },
  { fixture: 'transparent.gif', rule: "a GIF's transparent index counts as its colour, with alpha 0" },
  { fixture: 'bilevel.png', rule: 'a 1-bit PNG counts 0 as 0 and 1 as 255' },
  { fixture: 'bilevel.tif', rule: 'a 1-bit TIFF counts 0 as 0 and 1 as 255' },
  { fixture: 'gray16.png', rule: 'a 16-bit gray PNG at depth 8 counts v >> 8' },
  { fixture: 'gray-alpha16.png', rule: 'a 16-bit gray+alpha PNG at depth 8 reduces gray and alpha alike (v >> 8)' },
  { fixture: 'rgb16.png', rule: 'a 16-bit RGB PNG at depth 8 counts v >> 8, luma from the reduced samples', stats: true },
  { fixture: 'rgba16.png', rule: 'a 16-bit RGBA PNG at depth 8 reduces colour and alpha by v >> 8' },
  { fixture: 'gray16.tif', rule: 'a 16-bit gray TIFF at depth 8 counts v >> 8' },
  { fixture: 'rgb16.tif', rule: 'a 16-bit RGB TIFF at depth 8 counts v >> 8' },
  { fixture: 'cmyk.tif', rule: "a CMYK TIFF converts by Pillow's cmyk2rgb, no ICC" },
  { fixture: 'cmyk.jpg', rule: "a CMYK JPEG converts its stored (un-inverted) samples by Pillow's cmyk2rgb" },
  { fixture: 'progressive.jpg', rule: 'a progressive JPEG counts its decoded pixels' },
  { fixture: 'exif-rotated.jpg', rule: 'an EXIF-rotated JPEG counts the pixels as stored, width and height unrotated' },
  { fixture: 'lossless.webp', rule: 'a lossless WebP counts exactly its pixels' },
  { fixture: 'lossy.webp', rule: 'a lossy WebP counts its decoded pixels' },
  { fixture: 'lossless.avif', rule: 'an AVIF counts its decoded pixels' },
  { fixture: 'animated.gif', rule: 'an animated GIF counts its first frame and says frames: 3' },
  { fixture: 'animated.webp', rule: 'an animated WebP counts its first frame and says frames: 3' },
  { fixture: 'multipage.tif', rule: 'a multi-page TIFF counts its first page and says frames: 3' },
  { fixture: 'image.heic', rule: 'HEIC (HEVC) is a 415 that names it and what to send instead', error: heic },
  { fixture: 'float32.tif', rule: 'a 32-bit float TIFF is a 422 naming the sample format', error: unprocessable(/float/i, supported) },
  { fixture: 'int32.tif', rule: 'a 32-bit integer TIFF is a 422 naming the sample format', error: unprocessable(/32/, /int/i, supported) },
  { fixture: 'five-band.tif', rule: 'a 5-band TIFF is a 422 naming the band count', error: unprocessable(/\b5\b|five/i, supported) },
  { fixture: 'cmyk-alpha.tif', rule: 'CMYK with alpha is a 422', error: unprocessable(/cmyk/i, /alpha|5|five/i) },

  // depth=16.
  { fixture: 'gray16.png', query: 'depth=16', rule: 'a 16-bit gray PNG at depth 16 counts every 16-bit value', stats: true },
  { fixture: 'gray-alpha16.png', query: 'depth=16', rule: '16-bit gray+alpha at depth 16 counts both as stored' },
  { fixture: 'rgb16.png', query: 'depth=16', rule: '16-bit RGB at depth 16: luma by the formula on 16-bit samples', stats: true },
  { fixture: 'rgba16.png', query: 'depth=16', rule: '16-bit RGBA at depth 16 counts every sample as stored' },
  { fixture: 'gray16.tif', query: 'depth=16', rule: 'a 16-bit gray TIFF at depth 16 counts its samples' },
  { fixture: 'rgb16.tif', query: 'depth=16', rule: 'a 16-bit RGB TIFF at depth 16 counts its samples' },
  { fixture: 'rgb8.png', query: 'depth=16', rule: 'an 8-bit image asked at depth 16 is counted at depth 8' },
  { fixture: 'float32.tif', query: 'depth=16', rule: 'a float TIFF is a 422 at depth 16 too', error: unprocessable(/float/i) },

  // bins other than 256.
  { fixture: 'rgb8.png', query: 'bins=10', rule: 'bins=10 at depth 8 bins like numpy.histogram(a, 10, range=(0, 256))' },
  { fixture: 'rgba8.png', query: 'bins=1', rule: 'bins=1 puts every pixel in one bin' },
  { fixture: 'gray16.png', query: 'depth=16&bins=1000', rule: 'bins=1000 at depth 16 bins like numpy over 0..65536' },
  { fixture: 'rgb16.png', query: 'depth=16&bins=300', rule: 'bins=300 at depth 16 bins every channel over 0..65536' },
  { fixture: 'rgb8.png', query: 'depth=16&bins=1000', rule: 'an 8-bit image at depth 16 with 1000 bins is binned over 0..256' },
  { fixture: 'gray8.png', query: 'depth=16&bins=7', rule: 'an 8-bit image at depth 16 with 7 bins is binned over 0..256' },

  // range.
  { fixture: 'low-contrast-rgb8.png', query: 'range=data', rule: 'range=data bins each channel over its own min..max' },
  { fixture: 'low-contrast-rgb8.png', query: 'range=data&bins=16', rule: 'range=data with 16 bins: numpy edges, the last bin closed' },
  { fixture: 'low-contrast-rgb8.png', query: 'range=100.5,130&bins=20', rule: 'range=LO,HI counts only values in [LO, HI]', stats: true },
  { fixture: 'low-contrast-rgb8.png', query: 'range=120,120&bins=4', rule: 'range=LO,HI with LO == HI widens by ±0.5' },
  { fixture: 'solid-rgb8.png', query: 'range=data', rule: 'range=data on a one-value channel widens to lo-0.5, hi+0.5' },
  { fixture: 'rgb8.png', query: 'range=-10.5,300&bins=31', rule: 'range=LO,HI may reach past the scale: numpy edges from LO to HI' },
  { fixture: 'gray8.png', query: 'depth=16&range=data&bins=50', rule: 'range=data on an 8-bit image asked at depth 16 bins its 8-bit values' },
  { fixture: 'rgb16.png', query: 'range=data', rule: 'range=data at depth 8 bins the reduced samples over their min..max' },
  { fixture: 'rgb16.png', query: 'depth=16&range=data&bins=100', rule: 'range=data at depth 16 bins 16-bit samples over their min..max', stats: true },
  { fixture: 'rgb16.png', query: 'depth=16&range=20000,40000&bins=64', rule: 'range=LO,HI at depth 16 like numpy' },

  // The old service's numbers, bin for bin.
  ...[
    'low-contrast-rgb8.png',
    'rgb8.png',
    'rgba8.png',
    'gray8.png',
    'palette.png',
    'palette-trns.png',
    'transparent.gif',
    'bilevel.png',
    'solid-rgb8.png',
    'cmyk.jpg',
    'progressive.jpg',
    'exif-rotated.jpg',
    'icc-rgb8.png',
    'icc.jpg',
    'lossy.webp',
  ].map(
    (fixture, i): FidelityRow => ({
      fixture,
      route: i === 0 ? '/process-image/' : '/process-image',
      query: 'range=data',
      oracle: 'old-service',
      rule: "/process-image?range=data gives the old service's histogram bin for bin",
    }),
  ),

  // mask=alpha.
  { fixture: 'rgba8.png', query: 'mask=alpha', rule: 'mask=alpha counts only pixels whose alpha is not 0', stats: true },
  { fixture: 'rgba8.png', query: 'mask=alpha&range=data', rule: 'mask=alpha with range=data bins the kept pixels over their min..max' },
  { fixture: 'gray-alpha8.png', query: 'mask=alpha', rule: 'mask=alpha on gray+alpha counts the opaque pixels' },
  { fixture: 'palette-trns.png', query: 'mask=alpha', rule: 'mask=alpha on a palette PNG drops the tRNS-transparent pixels' },
  { fixture: 'transparent.gif', query: 'mask=alpha', rule: "mask=alpha on a GIF drops the transparent index's pixels" },
  { fixture: 'rgba16.png', query: 'mask=alpha', rule: 'mask=alpha on 16-bit RGBA at depth 8' },
  { fixture: 'rgba16.png', query: 'depth=16&mask=alpha', rule: 'mask=alpha on 16-bit RGBA at depth 16', stats: true },
  { fixture: 'transparent-rgba8.png', query: 'mask=alpha&range=data', rule: 'a mask that leaves no pixel: counted 0, range=data over 0..1' },
  { fixture: 'rgb8.png', query: 'mask=alpha', rule: 'mask=alpha on an image without alpha counts every pixel', acceptMask: ['alpha', 'none'] },

  // channels.
  { fixture: 'rgba8.png', query: 'channels=green,alpha', rule: 'channels= returns the channels asked for' },
  { fixture: 'rgb16.png', query: 'depth=16&channels=blue,luma', rule: 'channels= at depth 16' },
  { fixture: 'gray8.png', query: 'channels=red,luma', rule: 'red asked of a gray image is the gray channel' },
  { fixture: 'rgb8.png', query: 'channels=alpha', rule: 'alpha asked of an image without one is opaque' },
  { fixture: 'rgb16.png', query: 'depth=16&channels=alpha', rule: 'alpha asked of a 16-bit image without one is opaque at 65535' },

  // The compatibility route answers as the canonical one.
  { fixture: 'rgb8.png', route: '/process-image', rule: '/process-image without parameters counts like /v1/histogram (range full)' },
];

/** A row's unique id (also the key of its numpy answer). */
export function rowId(row: FidelityRow): string {
  return `${row.route ?? '/v1/histogram'} ${row.fixture}?${row.query ?? ''}`;
}

/** The case the generator answers for a row. */
export function toCase(row: FidelityRow): OracleCase {
  const q = new URLSearchParams(row.query ?? '');
  return {
    id: rowId(row),
    fixture: row.fixture,
    ...(q.has('depth') ? { depth: Number(q.get('depth')) as 8 | 16 } : {}),
    ...(q.has('bins') ? { bins: Number(q.get('bins')) } : {}),
    ...(q.has('range') ? { range: q.get('range')! } : {}),
    ...(q.get('mask') === 'alpha' ? { mask: 'alpha' as const } : {}),
    ...(q.has('channels') ? { channels: q.get('channels')!.split(',') } : {}),
    ...(row.oracle ? { oracle: row.oracle } : {}),
  };
}
