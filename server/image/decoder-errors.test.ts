import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageErrorFrom, withDecoderErrors } from './decoder-errors.ts';
import { ImageError } from './image-error.ts';
import { sampleClass } from './sample-format.ts';

// Messages as sharp 0.35 / libvips 8.18 gave them for mutated inputs of each format.
const INPUT_MESSAGES: Array<[string, 'unsupported' | 'unprocessable', RegExp]> = [
  ['Input buffer contains unsupported image format', 'unsupported', /not an image format this service decodes/],
  ['Input image exceeds pixel limit', 'unprocessable', /more pixels than the limit of 1000/],
  ['VipsJpeg: premature end of JPEG image', 'unprocessable', /JPEG data ends before the image is complete/],
  ['VipsJpeg: Corrupt JPEG data: bad Huffman code', 'unprocessable', /JPEG data is corrupt/],
  ['vipspng: libpng read error', 'unprocessable', /JPEG data is corrupt/],
  ['Input buffer has corrupt header: ', 'unprocessable', /corrupt/],
  ['Input buffer has corrupt header: gifload_buffer: Unexpected end of GIF source data', 'unprocessable', /ends before the image is complete/],
  ['source: bad seek to 1220\nsource: bad seek to 1220', 'unprocessable', /ends before/],
  ['tiff2vips: Bogus marker length\ntiff2vips: read error', 'unprocessable', /corrupt/],
  ['Input buffer has corrupt header: heif: Invalid input: Invalid box size (2.101)', 'unprocessable', /corrupt/],
  ['Warning treated as error due to failOn setting\nIHDR: CRC error', 'unprocessable', /corrupt/],
  ['webp2vips: unable to read pixels', 'unprocessable', /corrupt/],
  ['Input image exceeds channel limit', 'unprocessable', /more channels than any colour image has/],
  ["vips_colourspace: no known route from 'multiband' to 'srgb'", 'unprocessable', /channels \(multiband\) have no conversion to RGB or gray/],
  // A phone's HEIC: libheif in sharp's prebuilt libvips has no HEVC decoder.
  [
    'heif: Error while loading plugin: Support for this compression format has not been built in: HEVC (a suitable decoder plugin is libde265) (11.6003)',
    'unsupported',
    /HEIC .*cannot decode HEVC.*send JPEG, PNG, WebP, AVIF/,
  ],
];

test("maps what decoders say about their input to unsupported or unprocessable, in the service's own words", () => {
  for (const [message, kind, wording] of INPUT_MESSAGES) {
    const mapped = imageErrorFrom(new Error(message), 'JPEG', 1000);
    assert.ok(mapped, message);
    assert.equal(mapped.kind, kind, message);
    assert.match(mapped.message, wording, message);
    // No library internals in what the client reads.
    assert.doesNotMatch(mapped.message, /Vips|vips_|libpng|spng|tiff2vips|heif:|gifload|source:/, message);
  }
});

test('does not blame the image for errors that are not about the input: out of memory, misuse of sharp, anything unknown', () => {
  for (const message of [
    'VipsImage: out of memory --- size == 512MB',
    'vips_malloc: out of memory',
    'Expected integer between 1 and 100 for quality but received 0 of type number',
    'something nobody has seen before',
  ]) {
    assert.equal(imageErrorFrom(new Error(message), 'PNG', 1000), null, message);
  }
});

/** A decode that fails with each of `messages` in turn, then succeeds; counts its calls. */
function flaky(...messages: string[]) {
  let calls = 0;
  const decode = async () => {
    const message = messages[calls++];
    if (message !== undefined) throw new Error(message);
    return 'pixels';
  };
  return { decode, calls: () => calls };
}

test('a decode whose error names its input fails at once with an ImageError, not tried again', async () => {
  const run = flaky('VipsJpeg: premature end of JPEG image');
  await assert.rejects(withDecoderErrors(run.decode, 'JPEG', 1000), (error) => error instanceof ImageError && /ends before/.test(error.message));
  assert.equal(run.calls(), 1);
});

test("a decode that fails with an empty message (another thread cleared libvips' error buffer) is tried once more", async () => {
  const torn = flaky('');
  assert.equal(await withDecoderErrors(torn.decode, 'PNG', 1000), 'pixels');
  assert.equal(torn.calls(), 2);
  // The second try names the input: an ImageError, as if the first had.
  const tornThenCorrupt = flaky('', 'vipspng: libpng read error');
  await assert.rejects(withDecoderErrors(tornThenCorrupt.decode, 'PNG', 1000), (error) => error instanceof ImageError && error.kind === 'unprocessable');
});

test('a fault of the server fails the same way twice and is rethrown as it is', async () => {
  const oom = flaky('vips_malloc: out of memory', 'vips_malloc: out of memory');
  await assert.rejects(withDecoderErrors(oom.decode, 'PNG', 1000), (error) => !(error instanceof ImageError) && /out of memory/.test((error as Error).message));
  assert.equal(oom.calls(), 2);
});

test('HEIF whose images are HEVC-coded is refused as unsupported from its header, AVIF is not', () => {
  const facts = { format: 'heif', depth: 'uchar', channels: 3, space: 'srgb', hasAlpha: false };
  assert.throws(
    () => sampleClass({ ...facts, compression: 'hevc' }),
    (error: unknown) => error instanceof ImageError && error.kind === 'unsupported' && /HEIC/.test(error.message) && /HEVC/.test(error.message),
  );
  assert.equal(sampleClass({ ...facts, format: 'avif', compression: 'av1' }), 'uchar');
});
