// Renders a chart.js configuration to PNG bytes: chart.js draws on node-canvas (through
// chartjs-node-canvas), and sharp encodes the raw pixels, which is 2-3× faster than canvas's
// own PNG encoder (DESIGN.md, known costs).
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import sharp from 'sharp';
import type { ChartConfiguration } from 'chart.js';

// One renderer per canvas size; chart sizes come from a small set in practice.
const renderers = new Map<string, ChartJSNodeCanvas>();
const MAX_RENDERERS = 16;

function rendererFor(width: number, height: number): ChartJSNodeCanvas {
  const key = `${width}x${height}`;
  let renderer = renderers.get(key);
  if (!renderer) {
    if (renderers.size >= MAX_RENDERERS) renderers.delete(renderers.keys().next().value!);
    renderer = new ChartJSNodeCanvas({ width, height, backgroundColour: 'white' });
    renderers.set(key, renderer);
  }
  return renderer;
}

/**
 * Draws `config` on a `width` × `height` canvas with a white background and returns a PNG.
 * Takes ~10 ms for the default 800×400 chart; the first call in a process is slower (fonts).
 */
export async function renderChartPng(config: ChartConfiguration, width: number, height: number): Promise<Buffer> {
  // 'raw' is cairo's ARGB32 in native byte order: B, G, R, A on little-endian machines.
  const raw = rendererFor(width, height).renderToBufferSync(config as never, 'raw' as never);
  const words = new Uint32Array(raw.buffer, raw.byteOffset, raw.length >>> 2);
  // Swap B and R in place. The background is opaque, so premultiplied = straight alpha.
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    words[i] = (w & 0xff00ff00) | ((w >>> 16) & 0xff) | ((w & 0xff) << 16);
  }
  return sharp(raw, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 2, adaptiveFiltering: false })
    .toBuffer();
}
