// The old service as a peer: what it says when its Python packages are missing, and (where
// they are installed) that it answers as the old one did, bins over the data's min..max.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { installHint, oldServiceMissing, oldServicePython, oldServiceSpec, oldServiceVersions } from './old-service.ts';
import { startListening, waitFor200 } from '../suite-processes.ts';

const python = oldServicePython(process.env);
const missing = oldServiceMissing(python);

test('missing modules are named with the Debian packages that provide them', () => {
  assert.equal(installHint(['fastapi', 'PIL', 'multipart']), 'apt-get install python3-fastapi python3-pil python3-multipart');
  const dir = mkdtempSync(join(tmpdir(), 'fake-python-'));
  const fake = join(dir, 'python3');
  writeFileSync(fake, '#!/bin/sh\necho "fastapi PIL"\n');
  chmodSync(fake, 0o755);
  assert.equal(
    oldServiceMissing(fake),
    `${fake} lacks fastapi, PIL: apt-get install python3-fastapi python3-pil (Debian), or set BENCH_PYTHON to a Python that has them`,
  );
});

test('a Python that cannot run asks for Python and every package', () => {
  assert.match(
    oldServiceMissing('/nonexistent/python3')!,
    /^\/nonexistent\/python3 cannot be run \(.*ENOENT.*\): apt-get install python3 python3-fastapi python3-uvicorn python3-multipart python3-pil python3-numpy, or set BENCH_PYTHON$/,
  );
});

test('BENCH_PYTHON chooses the interpreter', () => {
  assert.equal(oldServicePython({ BENCH_PYTHON: '/opt/py/bin/python3' }), '/opt/py/bin/python3');
});

test('a 4×2 half-black half-white upload gives 4 in the first bin and 4 in the last, as numpy bins min..max', {
  skip: missing === null ? false : `the old service cannot run here: ${missing}`,
}, async (t) => {
  const child = await startListening(oldServiceSpec(python, null));
  t.after(() => child.stop());
  await waitFor200(`${child.url}/openapi.json`);
  assert.match(
    oldServiceVersions(child.info),
    /^Python 3\.\d+\.\d+, FastAPI \S+, uvicorn \S+ \((asyncio|uvloop) loop, (h11|httptools) HTTP\), Pillow \S+, numpy \S+$/,
  );
  const pixels = Buffer.alloc(4 * 2 * 3, 0);
  pixels.fill(255, 12); // second row white
  const png = await sharp(pixels, { raw: { width: 4, height: 2, channels: 3 } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'half.png');
  const res = await fetch(`${child.url}/process-image`, { method: 'POST', body: form });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { histogram: number[] };
  assert.equal(body.histogram.length, 256);
  assert.equal(body.histogram[0], 4);
  assert.equal(body.histogram[255], 4);
  assert.equal(
    body.histogram.reduce((a, b) => a + b, 0),
    8,
  );
});
