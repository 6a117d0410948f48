// Regenerates docs/web-page.png, the README's picture of the web page: serves this checkout's
// app on 127.0.0.1 (a port of the kernel's choosing), opens the page in Debian's chromium through
// playwright-core (as test/web-page.test.ts drives it), uploads a text file and a generated
// photo, and saves the whole page. What the picture shows is what the server answers today, so
// run it after a change to the page or to a message it shows.
//
//   node --import tsx scripts/screenshot-web-page.ts [OUT.png]   (default docs/web-page.png)
//
// Needs /usr/bin/chromium (Debian's chromium package; CHROMIUM names another binary).
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { synthesizeImage } from '../client/generate/synthesize-image.ts';
import { createApp } from '../server/app.ts';
import { createServices } from '../server/app-services.ts';
import { loadConfig } from '../server/config.ts';
import { createHttpServer } from '../server/http/create-http-server.ts';

const out = process.argv[2] ?? fileURLToPath(new URL('../docs/web-page.png', import.meta.url));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  process.stderr.write(`screenshot-web-page: ${executablePath} is missing: install Debian's chromium package, or set CHROMIUM\n`);
  process.exit(2);
}

// A pod-like name, as the page shows it behind Kubernetes; the log goes nowhere.
const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', CONCURRENCY: '1', POD_NAME: 'histogram-server-7d9f-x2k4q', LOG_LEVEL: 'error' });
const services = createServices(config);
const { app, close } = createApp(config, services);
const server = createHttpServer(app, services);
await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, config.host, resolve));
await services.images.ready();
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(url);
  // Cards are added on top: the text file first, so the analysed photo shows above its error.
  await page.setInputFiles('#file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('this is not an image\n') });
  await page.waitForSelector('.card[data-state=error]');
  const photo = await synthesizeImage({ kind: 'photo', width: 480, height: 320, format: 'jpeg', seed: 7, quality: 85 });
  await page.setInputFiles('#file', { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.waitForSelector('.card[data-state=done] canvas');
  // The request id and timings differ every run; everything else is what the server answered.
  const shot = await page.screenshot({ fullPage: true });
  // A palette PNG at full quality: a quarter of the bytes of the browser's own RGB PNG.
  await sharp(shot).png({ palette: true, quality: 100, compressionLevel: 9 }).toFile(out);
  const meta = await sharp(out).metadata();
  process.stdout.write(`${out}\n`);
  process.stderr.write(`wrote ${meta.width}×${meta.height} from ${url}\n`);
} finally {
  await browser.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await close();
}
