import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandInputs, InputError } from './expand-inputs.ts';

async function tree(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'expand-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'sub'));
  for (const name of ['b.jpg', 'a.PNG', 'notes.txt', 'sub/c.jpg', 'sub/d.webp']) await writeFile(join(dir, name), 'x');
  return dir;
}

test('one file is the single-image mode, whatever its extension', async (t) => {
  const dir = await tree(t);
  assert.deepEqual(await expandInputs([join(dir, 'notes.txt')]), { files: [join(dir, 'notes.txt')], single: true });
});

test('a folder gives its image files sorted, not its text files or subfolders', async (t) => {
  const dir = await tree(t);
  assert.deepEqual(await expandInputs([dir]), { files: [join(dir, 'a.PNG'), join(dir, 'b.jpg')], single: false });
});

test('a folder and a glob list numbered files in natural order: photo-2 before photo-10', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'expand-natural-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const n of [11, 1, 10, 2, 9]) await writeFile(join(dir, `photo-${n}.jpg`), 'x');
  const expected = [1, 2, 9, 10, 11].map((n) => join(dir, `photo-${n}.jpg`));
  assert.deepEqual((await expandInputs([dir])).files, expected);
  assert.deepEqual((await expandInputs([`${dir}/*.jpg`])).files, expected);
});

test('a glob with ** reaches subfolders; duplicates are dropped', async (t) => {
  const dir = await tree(t);
  const { files, single } = await expandInputs([`${dir}/**/*.jpg`, join(dir, 'b.jpg')]);
  assert.deepEqual(files, [join(dir, 'b.jpg'), join(dir, 'sub', 'c.jpg')]);
  assert.equal(single, false);
});

test('a missing path, an empty folder and a glob without matches are InputErrors naming them', async (t) => {
  const dir = await tree(t);
  await mkdir(join(dir, 'empty'));
  await assert.rejects(expandInputs([join(dir, 'nope.jpg')]), (e: unknown) => e instanceof InputError && /no such file or folder: .*nope\.jpg/.test(e.message));
  await assert.rejects(expandInputs([join(dir, 'empty')]), { message: /folder .*empty holds no images/ });
  await assert.rejects(expandInputs([`${dir}/*.gif`]), { message: /no files match .*\*\.gif/ });
});

test('a glob and a folder both find a symlinked image file', async (t) => {
  const dir = await tree(t);
  await mkdir(join(dir, 'links'));
  await symlink(join(dir, 'b.jpg'), join(dir, 'links', 'linked.jpg'));
  assert.deepEqual((await expandInputs([`${dir}/links/*.jpg`])).files, [join(dir, 'links', 'linked.jpg')]);
  assert.deepEqual((await expandInputs([join(dir, 'links')])).files, [join(dir, 'links', 'linked.jpg')]);
});

test('nested braces {b,{c,d}} expand to every alternative', async (t) => {
  const dir = await tree(t);
  const { files } = await expandInputs([`${dir}/**/{b,{c,d}}.{jpg,webp}`]);
  assert.deepEqual(files, [join(dir, 'b.jpg'), join(dir, 'sub', 'c.jpg'), join(dir, 'sub', 'd.webp')]);
});

test('a relative glob gives paths relative to the working directory, dot files included', async (t) => {
  const dir = await tree(t);
  await writeFile(join(dir, 'sub', '.hidden.jpg'), 'x');
  const cwd = process.cwd();
  process.chdir(dir);
  t.after(() => process.chdir(cwd));
  assert.deepEqual((await expandInputs(['sub/*.jpg'])).files, [join('sub', '.hidden.jpg'), join('sub', 'c.jpg')]);
});
