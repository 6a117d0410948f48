// Assertions of the fidelity tests: a server's JSON answer against numpy's answer for the
// same case, field by field, with short messages for long count arrays.
import assert from 'node:assert/strict';
import { countsDiffer, denseCounts, type OldServiceAnswer, type OracleAnswer, type OracleChannel, type OracleFixture } from './fidelity-oracle.ts';

export interface ChannelJson {
  counts: unknown;
  binRange?: unknown;
  [stat: string]: unknown;
}

export interface HistogramJson {
  width: number;
  height: number;
  pixels: number;
  format: string;
  space: string;
  channelsInImage: number;
  bins: number;
  depth: unknown;
  range: unknown;
  mask: unknown;
  counted: unknown;
  frames?: unknown;
  histogram: unknown;
  channels: Record<string, ChannelJson>;
}

const FORMATS: Record<string, string> = { png: 'png', gif: 'gif', tif: 'tiff', jpg: 'jpeg', webp: 'webp', avif: 'avif' };
const STATS = ['mean', 'stdev', 'min', 'max', 'median', 'p01', 'p99', 'entropy'] as const;
/** mean, stdev and entropy are real numbers: equal to 1e-6; the rest are values, exact. */
const TOLERANCE = 1e-6;

function assertChannel(name: string, got: ChannelJson | undefined, expected: OracleChannel, withStats: boolean): void {
  assert.ok(got, `channel ${name} is missing`);
  const differ = countsDiffer(got.counts, denseCounts(expected.counts));
  assert.equal(differ, undefined, `channel ${name}: ${differ}`);
  assert.deepEqual(got.binRange, expected.binRange, `channel ${name}: binRange`);
  if (!withStats || !expected.stats) return;
  for (const stat of STATS) {
    const value: unknown = got[stat];
    const want: number = expected.stats[stat];
    assert.equal(typeof value, 'number', `channel ${name}: ${stat} is ${JSON.stringify(value)}`);
    if (stat === 'mean' || stat === 'stdev' || stat === 'entropy') {
      assert.ok(Math.abs((value as number) - want) <= TOLERANCE, `channel ${name}: ${stat} ${value}, numpy says ${want}`);
    } else {
      assert.equal(value, want, `channel ${name}: ${stat}`);
    }
  }
}

/**
 * Checks a 200 answer against numpy's: image fields, depth, range, mask, counted, bins,
 * frames, every channel's counts and binRange (statistics too when `withStats`), luma as
 * `histogram`, and with range full that every channel sums to `counted`.
 */
export function assertAnswer(
  json: HistogramJson,
  expected: OracleAnswer,
  fixture: OracleFixture,
  options: { withStats: boolean; acceptMask?: string[] },
): void {
  assert.equal(json.width, fixture.width, 'width (as stored)');
  assert.equal(json.height, fixture.height, 'height (as stored)');
  assert.equal(json.pixels, fixture.width! * fixture.height!, 'pixels');
  assert.equal(json.format, FORMATS[fixture.file.split('.').pop()!], 'format');
  if (fixture.space) assert.equal(json.space, fixture.space, 'space');
  if (fixture.channelsInImage) assert.equal(json.channelsInImage, fixture.channelsInImage, 'channelsInImage');
  assert.equal(json.depth, expected.depth, 'depth counted');
  assert.equal(json.bins, expected.bins, 'bins');
  assert.equal(json.range, expected.range, 'range');
  if (options.acceptMask) assert.ok(options.acceptMask.includes(json.mask as string), `mask ${JSON.stringify(json.mask)}`);
  else assert.equal(json.mask, expected.mask, 'mask');
  assert.equal(json.counted, expected.counted, 'counted');
  if (fixture.frames) assert.equal(json.frames, fixture.frames, 'frames');
  else assert.ok(json.frames === undefined || json.frames === 1, `frames ${JSON.stringify(json.frames)} for a single image`);

  const optional = Object.keys(expected.optionalChannels).filter((name) => name in json.channels);
  assert.deepEqual(Object.keys(json.channels).sort(), [...Object.keys(expected.channels), ...optional].sort(), 'channels returned');
  for (const [name, channel] of Object.entries(expected.channels)) assertChannel(name, json.channels[name], channel, options.withStats);
  for (const name of optional) assertChannel(`${name} (optional, must be opaque)`, json.channels[name], expected.optionalChannels[name]!, false);
  if (expected.channels.luma) {
    const differ = countsDiffer(json.histogram, denseCounts(expected.channels.luma.counts));
    assert.equal(differ, undefined, `histogram (the luma counts): ${differ}`);
  }
  if (expected.range === 'full') {
    for (const [name, channel] of Object.entries(json.channels)) {
      const sum = (channel.counts as number[]).reduce((a, b) => a + b, 0);
      assert.equal(sum, expected.counted, `channel ${name} sums to counted`);
    }
  }
}

/** Checks `histogram` and the luma channel against the old service's formula run on the file. */
export function assertOldService(json: HistogramJson, expected: OldServiceAnswer): void {
  const differ = countsDiffer(json.histogram, expected.histogram);
  assert.equal(differ, undefined, `histogram against the old service: ${differ}`);
  const luma = json.channels.luma;
  assert.ok(luma, 'channel luma is missing');
  assert.equal(countsDiffer(luma.counts, expected.histogram), undefined, 'luma counts against the old service');
  assert.deepEqual(luma.binRange, expected.binRange, "luma binRange: the old service's outer edges");
  assert.equal(json.range, 'data', 'range');
}
