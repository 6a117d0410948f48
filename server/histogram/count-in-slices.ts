// Counts a decoded image on the event loop's thread without holding it: a big buffer is counted
// a slice at a time, with a turn of the event loop between slices, so requests and probes that
// arrive meanwhile are answered within about a slice's time.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { countPixels, createPixelCounter, type RawCounts } from './count-pixels.ts';
import { createSampleCounter, type SampleCountOptions, type SampleCounts } from './count-samples.ts';

/** Bytes counted per turn of the event loop: about half a millisecond of counting. */
export const SLICE_BYTES = 512 * 1024;

/** Counts `pixels` (interleaved, `channelCount` bytes per pixel) exactly as countPixels does. */
export async function countPixelsInSlices(pixels: Uint8Array, channelCount: number, sliceBytes = SLICE_BYTES): Promise<RawCounts> {
  if (pixels.length <= sliceBytes) return countPixels(pixels, channelCount);
  const step = Math.max(channelCount, sliceBytes - (sliceBytes % channelCount)); // whole pixels
  const counter = createPixelCounter(channelCount);
  for (let at = 0; at < pixels.length; at += step) {
    if (at > 0) await nextTurn();
    counter.add(pixels.subarray(at, Math.min(pixels.length, at + step)));
  }
  return counter.finish();
}

/** Counts `samples` as countSamples does, a slice at a time with a turn of the event loop between slices. */
export async function countSamplesInSlices(samples: Uint8Array | Uint16Array, options: SampleCountOptions, sliceBytes = SLICE_BYTES): Promise<SampleCounts> {
  const counter = createSampleCounter(options);
  const perSlice = Math.max(1, Math.floor(sliceBytes / samples.BYTES_PER_ELEMENT / options.channels)) * options.channels; // whole pixels
  for (let at = 0; at < samples.length; at += perSlice) {
    if (at > 0) await nextTurn();
    counter.add(samples.subarray(at, Math.min(samples.length, at + perSlice)));
  }
  return counter.finish();
}
