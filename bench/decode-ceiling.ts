// Decode-only ceiling: sharp decoding the same bytes to raw sRGB pixels back to back, C at a
// time, with no HTTP. Usage: decode-ceiling.ts FILE CONCURRENCY DURATION_MS WARMUP_MS;
// prints {"decodes":N,"elapsedMs":T,"perSecond":R}.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';

// Unique images in production: no operation cache (as the server runs).
sharp.cache(false);

const [file, concurrencyText, durationText, warmupText] = process.argv.slice(2);
if (!file) throw new Error('usage: decode-ceiling.ts FILE CONCURRENCY DURATION_MS WARMUP_MS');
const bytes = readFileSync(file);
const concurrency = Number(concurrencyText ?? 1);

async function decodeFor(ms: number): Promise<{ decodes: number; elapsedMs: number }> {
  const start = performance.now();
  const end = start + ms;
  let decodes = 0;
  const lane = async () => {
    while (performance.now() < end) {
      await sharp(bytes, { sequentialRead: true }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer();
      decodes++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { decodes, elapsedMs: performance.now() - start };
}

await decodeFor(Number(warmupText ?? 0));
const { decodes, elapsedMs } = await decodeFor(Number(durationText ?? 5000));
process.stdout.write(`${JSON.stringify({ decodes, elapsedMs: Math.round(elapsedMs), perSecond: (decodes * 1000) / elapsedMs })}\n`);
