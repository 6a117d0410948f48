#!/usr/bin/python3
"""Writes one small image per input class, and the answers numpy gives for them, for the fidelity tests.

Usage: /usr/bin/python3 fidelity-fixtures.py OUTDIR [CASES.json]

Every fixture is written from a numpy array built here (seeded), so the expected samples are
the array itself; only lossy files (JPEG, lossy WebP) take their expected samples from
Pillow's own decode. OUTDIR/manifest.json lists, for every fixture: file, class, rule, the
expected per-channel value counts (256 at depth 8; at depth 16 a sparse {value: count} map
from np.bincount), luma by the fixed-point formula, frames, and skip reasons. With CASES.json
(a list of {id, fixture, depth, bins, range, mask, channels, oracle}) it also answers each
case the way the API's spec says numpy would: `np.histogram` over the counted samples, the
outer edges, the number counted and the statistics (fidelity-answers.py). The hand-written
encoders and Pillow's conversions in numpy are in fidelity-encoders.py; the fixtures index is
fidelity-fixtures.md beside this file. Needs Debian's python3-pil 9.4 and python3-numpy 1.24;
libavif-bin (avifenc, avifdec) for AVIF and libheif-examples (heif-enc) for HEIC.
"""
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image


def load(file):
    """A module beside this script (its file name has a hyphen, so `import` cannot name it)."""
    spec = importlib.util.spec_from_file_location(file.replace('-', '_')[:-3], os.path.join(os.path.dirname(os.path.abspath(__file__)), file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


enc = load('fidelity-encoders.py')
answers = load('fidelity-answers.py')
luma, cmyk_to_rgb, write_png16, write_tiff = enc.luma, enc.cmyk_to_rgb, enc.write_png16, enc.write_tiff

OUT = sys.argv[1]
rng = np.random.default_rng(20261207)
fixtures = {}


def u8(shape, lo=0, hi=255):
    return rng.integers(lo, hi + 1, shape, dtype=np.uint8)


def u16(shape, lo=0, hi=65535):
    return rng.integers(lo, hi + 1, shape, dtype=np.uint16)


def samples(pixels, depth):
    """Channel arrays of an H×W×C array (C = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) at `depth`."""
    dtype = np.uint8 if depth == 8 else np.uint16
    p = pixels.reshape(-1, pixels.shape[-1]).astype(np.int64)
    gray = p.shape[1] <= 2
    r, g, b = (p[:, 0],) * 3 if gray else (p[:, 0], p[:, 1], p[:, 2])
    out = {'red': r, 'green': g, 'blue': b, 'luma': r if gray else luma(r, g, b)}
    if p.shape[1] in (2, 4):
        out['alpha'] = p[:, -1]
    return {k: v.astype(dtype) for k, v in out.items()}


def add(name, cls, rule, pixels=None, depth=8, frames=None, status=200, skip=None, old_service=False, **extra):
    """Records a fixture. `pixels` is the H×W×C array counted; 16-bit arrays also give depth 8 by v >> 8."""
    fx = {'file': name, 'class': cls, 'rule': rule, 'status': status, 'depth': depth, 'frames': frames, 'skip': skip, **extra}
    if pixels is not None:
        if pixels.ndim == 2:
            pixels = pixels[:, :, None]
        fx['height'], fx['width'] = int(pixels.shape[0]), int(pixels.shape[1])
        fx['gray'] = pixels.shape[2] <= 2
        fx['hasAlpha'] = pixels.shape[2] in (2, 4)
        fx['_s'] = {8: samples(pixels >> 8 if depth == 16 else pixels, 8)}
        if depth == 16:
            fx['_s'][16] = samples(pixels, 16)
        fx['_old'] = old_service
    fixtures[name] = fx


def path(name):
    return os.path.join(OUT, name)


def assert_pillow_decodes(name, expected, mode):
    """The file holds what we meant: Pillow decodes it to `expected` (an H×W×C uint8 array)."""
    got = np.asarray(Image.open(path(name)).convert(mode))
    assert np.array_equal(got.reshape(expected.shape), expected), f'{name}: Pillow decodes other pixels'


def build():
    os.makedirs(OUT, exist_ok=True)
    S = (64, 64)
    gray_ramp = np.arange(256, dtype=np.uint8).repeat(16).reshape(64, 64)

    # 8-bit PNG: the samples as stored.
    g = u8(S)
    Image.fromarray(g, 'L').save(path('gray8.png'))
    add('gray8.png', '8-bit gray PNG', '8-bit gray: the samples as stored; luma = gray', g, old_service=True)
    ga = np.dstack([gray_ramp, np.where(u8(S) < 64, 0, u8(S, 1, 255))]).astype(np.uint8)
    Image.fromarray(ga, 'LA').save(path('gray-alpha8.png'))
    add('gray-alpha8.png', '8-bit gray+alpha PNG', '8-bit gray+alpha: the samples as stored; alpha its own channel', ga)
    rgb = u8(S + (3,))
    Image.fromarray(rgb, 'RGB').save(path('rgb8.png'))
    add('rgb8.png', '8-bit RGB PNG', '8-bit RGB: the samples as stored; luma by the fixed-point formula', rgb, old_service=True)
    icc = enc.linear_rgb_icc()
    Image.fromarray(rgb, 'RGB').save(path('icc-rgb8.png'), icc_profile=icc)
    add('icc-rgb8.png', '8-bit RGB PNG with an embedded (non-sRGB) ICC profile', 'colour profiles are not applied: the samples as stored', rgb, old_service=True)
    Image.fromarray(rgb, 'RGB').save(path('icc.jpg'), quality=90, icc_profile=icc)
    add('icc.jpg', 'JPEG with an embedded (non-sRGB) ICC profile', "colour profiles are not applied: Pillow's decode", np.asarray(Image.open(path('icc.jpg'))), old_service=True)
    rgba = np.dstack([u8(S + (3,)), np.where(u8(S) < 80, 0, u8(S, 1, 255))]).astype(np.uint8)
    Image.fromarray(rgba, 'RGBA').save(path('rgba8.png'))
    add('rgba8.png', '8-bit RGBA PNG', '8-bit RGBA: colour counts every pixel, transparent or not; alpha its own channel', rgba)
    low = np.dstack([u8(S, 90, 130), u8(S, 100, 140), u8(S, 110, 160)]).astype(np.uint8)
    Image.fromarray(low, 'RGB').save(path('low-contrast-rgb8.png'))
    add('low-contrast-rgb8.png', '8-bit RGB PNG, low contrast', 'range: numpy.histogram over the data or LO,HI', low, old_service=True)
    solid = np.full(S + (3,), (40, 40, 200), np.uint8)
    Image.fromarray(solid, 'RGB').save(path('solid-rgb8.png'))
    add('solid-rgb8.png', '8-bit RGB PNG, one colour', 'range=data: lo == hi widens to lo-0.5, hi+0.5', solid, old_service=True)
    clear = np.dstack([u8(S + (3,)), np.zeros(S, np.uint8)])
    Image.fromarray(clear, 'RGBA').save(path('transparent-rgba8.png'))
    add('transparent-rgba8.png', '8-bit RGBA PNG, every pixel transparent', 'mask=alpha leaves no pixel: range=data uses 0..1', clear)

    # Palette PNG and GIF: every pixel its palette colour; tRNS / the transparent index is alpha.
    palette = u8((16, 3))
    palette[5] = (250, 20, 120)  # the GIF's transparent index: a colour that is not black
    index = rng.integers(0, 16, S, dtype=np.uint8)
    p = Image.fromarray(index, 'P')
    p.putpalette(palette.tobytes())
    p.save(path('palette.png'))
    add('palette.png', 'palette PNG', 'palette: every pixel counts as its palette colour', palette[index], old_service=True)
    trns = np.full(16, 255, np.uint8)
    trns[[2, 5, 9]] = 0
    trns[[3, 7]] = (128, 1)
    p.save(path('palette-trns.png'), transparency=trns.tobytes())
    pa = np.dstack([palette[index], trns[index]])
    assert_pillow_decodes('palette-trns.png', pa, 'RGBA')
    add('palette-trns.png', 'palette PNG with tRNS', 'palette: transparent pixels count as their colour; alpha from tRNS', pa)
    p.save(path('opaque.gif'))
    assert_pillow_decodes('opaque.gif', palette[index], 'RGB')
    add('opaque.gif', 'GIF without a transparent index', 'palette: every pixel counts as its palette colour', palette[index], optionalOpaqueAlpha=True)
    p.save(path('transparent.gif'), transparency=5)
    ta = np.dstack([palette[index], np.where(index == 5, 0, 255).astype(np.uint8)])
    assert_pillow_decodes('transparent.gif', ta, 'RGBA')
    add('transparent.gif', 'GIF with a transparent index', 'palette: the transparent index counts as its colour, alpha 0', ta)

    # 1-bit: 0 -> 0, 1 -> 255.
    bits = rng.integers(0, 2, S, dtype=np.uint8).astype(bool)
    Image.fromarray(bits).save(path('bilevel.png'))
    Image.fromarray(bits).save(path('bilevel.tif'))
    with open(path('bilevel.png'), 'rb') as f:
        assert f.read(25)[24] == 1, 'bilevel.png is not 1-bit'
    # BitsPerSample defaults to 1 when absent (TIFF 6.0), as Pillow writes it
    assert Image.open(path('bilevel.tif')).tag_v2.get(258, (1,)) in (1, (1,)), 'bilevel.tif is not 1-bit'
    for name in ('bilevel.png', 'bilevel.tif'):
        add(name, f'1-bit {name[-3:].upper()}', '1-bit: 0 -> 0, 1 -> 255', np.where(bits, 255, 0).astype(np.uint8))

    # 16-bit PNG and TIFF: v >> 8 at depth 8; as stored at depth 16.
    perm = rng.permutation(65536).astype(np.uint16).reshape(256, 256)  # every 16-bit value once
    write_png16(path('gray16.png'), perm[:, :, None])
    add('gray16.png', '16-bit gray PNG', '16-bit: v >> 8 at depth 8; every value at depth 16', perm, depth=16)
    # Alpha is 0 or at least 256, so alpha != 0 whatever the depth counted.
    alpha16 = np.where(u8(S) < 64, 0, u16(S, 256, 65535)).astype(np.uint16)
    g16a = np.dstack([u16(S), alpha16])
    write_png16(path('gray-alpha16.png'), g16a)
    add('gray-alpha16.png', '16-bit gray+alpha PNG', '16-bit: gray and alpha reduce alike (v >> 8)', g16a, depth=16)
    rgb16 = u16(S + (3,), 1000, 60000)
    write_png16(path('rgb16.png'), rgb16)
    add('rgb16.png', '16-bit RGB PNG', '16-bit: luma at depth 16 by the formula on 16-bit samples', rgb16, depth=16)
    rgba16 = np.dstack([u16(S + (3,)), alpha16])
    write_png16(path('rgba16.png'), rgba16)
    add('rgba16.png', '16-bit RGBA PNG', '16-bit RGBA: colour, alpha and luma at either depth', rgba16, depth=16)
    gt16 = u16(S)
    write_tiff(path('gray16.tif'), gt16[:, :, None], 16)
    assert np.array_equal(np.asarray(Image.open(path('gray16.tif'))), gt16), 'gray16.tif'
    add('gray16.tif', '16-bit gray TIFF', '16-bit TIFF: as 16-bit PNG', gt16, depth=16)
    rt16 = u16(S + (3,))
    write_tiff(path('rgb16.tif'), rt16, 16)
    add('rgb16.tif', '16-bit RGB TIFF', '16-bit TIFF: as 16-bit PNG', rt16, depth=16)

    # CMYK: Pillow's rule from the stored samples, checked against Pillow's own conversion.
    cmyk = u8(S + (4,))
    Image.fromarray(cmyk, 'CMYK').save(path('cmyk.tif'))
    Image.fromarray(cmyk, 'CMYK').save(path('cmyk.jpg'), quality=90)
    for name in ('cmyk.tif', 'cmyk.jpg'):
        im = Image.open(path(name))
        stored = np.asarray(im)  # Pillow un-inverts Adobe CMYK JPEGs
        assert name.endswith('jpg') or np.array_equal(stored, cmyk), name
        converted = cmyk_to_rgb(stored)
        assert np.array_equal(converted, np.asarray(im.convert('RGB'))), f'{name}: cmyk2rgb differs from Pillow'
        assert np.array_equal(luma(*converted.transpose(2, 0, 1)), np.asarray(im.convert('L'))), f'{name}: luma differs from Pillow'
        add(name, f'CMYK {name[-4:].upper()[1:]}', "CMYK: Pillow's cmyk2rgb, no ICC", converted, space='cmyk', channelsInImage=4, old_service=True)

    # JPEG: the pixels as Pillow decodes them (libjpeg defaults), orientation not applied.
    photo = np.dstack([gray_ramp[:48, :64], u8((48, 64), 0, 255) // 4 + 96, gray_ramp[:48, :64][:, ::-1]]).astype(np.uint8)
    Image.fromarray(photo).save(path('progressive.jpg'), progressive=True, quality=85)
    assert Image.open(path('progressive.jpg')).info.get('progressive'), 'progressive.jpg'
    add('progressive.jpg', 'progressive JPEG', 'JPEG: the decoded pixels as stored', np.asarray(Image.open(path('progressive.jpg'))), old_service=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(photo[:32, :48]).save(path('exif-rotated.jpg'), exif=exif.tobytes(), quality=85)
    assert Image.open(path('exif-rotated.jpg')).getexif()[0x0112] == 6
    add('exif-rotated.jpg', 'EXIF-rotated JPEG (orientation 6)', 'JPEG: orientation not applied; width/height as stored', np.asarray(Image.open(path('exif-rotated.jpg'))))

    # WebP.
    Image.fromarray(rgb).save(path('lossless.webp'), lossless=True)
    assert_pillow_decodes('lossless.webp', rgb, 'RGB')
    add('lossless.webp', 'lossless WebP', 'WebP: the decoded pixels (lossless: the array)', rgb)
    Image.fromarray(photo).save(path('lossy.webp'), quality=70)
    add('lossy.webp', 'lossy WebP', "WebP: the decoded pixels (Pillow's decode)", np.asarray(Image.open(path('lossy.webp')).convert('RGB')))

    # AVIF from avifenc --lossless; HEIC from heif-enc (HEVC), answered 415.
    avif_note = None
    if shutil.which('avifenc') and shutil.which('avifdec'):
        subprocess.run(['avifenc', '--lossless', '-s', '10', path('rgb8.png'), path('lossless.avif')], check=True, capture_output=True)
        subprocess.run(['avifdec', path('lossless.avif'), path('avif-decoded.png')], check=True, capture_output=True)
        decoded = np.asarray(Image.open(path('avif-decoded.png')).convert('RGB'))
        os.remove(path('avif-decoded.png'))
        avif = rgb
        if not np.array_equal(decoded, rgb):
            avif, avif_note = decoded, 'avifenc --lossless did not round-trip exactly: expected = avifdec decode'
        add('lossless.avif', 'AVIF (lossless)', 'AVIF: the decoded pixels', avif, note=avif_note)
    else:
        add('lossless.avif', 'AVIF (lossless)', 'AVIF: the decoded pixels', skip='avifenc/avifdec missing: apt-get install libavif-bin')
    heic_skip = None
    if shutil.which('heif-enc'):
        encoded = subprocess.run(['heif-enc', '-q', '60', '-o', path('image.heic'), path('rgb8.png')], capture_output=True)
        with open(path('image.heic'), 'rb') if encoded.returncode == 0 else io.BytesIO() as f:
            if b'hvc1' not in f.read(4096):
                heic_skip = 'heif-enc could not encode HEVC here: install libheif-examples with an x265 encoder'
    else:
        heic_skip = 'heif-enc missing: apt-get install libheif-examples'
    add('image.heic', 'HEIC (HEVC)', 'HEIC: 415 naming HEIC/HEVC and what to send instead', status=415, skip=heic_skip)

    # Animated and multi-page: the first frame; frames gives the count.
    frames = [index, (index + 3) % 16, (index + 7) % 16]
    ims = [Image.fromarray(f, 'P') for f in frames]
    for im in ims:
        im.putpalette(palette.tobytes())
    ims[0].save(path('animated.gif'), save_all=True, append_images=ims[1:], duration=100, loop=0)
    assert Image.open(path('animated.gif')).n_frames == 3
    assert_pillow_decodes('animated.gif', palette[index], 'RGB')
    add('animated.gif', 'animated GIF (3 frames)', 'animated: the first frame only; frames = 3', palette[index], frames=3, optionalOpaqueAlpha=True)
    rgbs = [Image.fromarray(rgb), Image.fromarray(255 - rgb), Image.fromarray(low)]
    rgbs[0].save(path('animated.webp'), save_all=True, append_images=rgbs[1:], lossless=True, duration=100)
    assert Image.open(path('animated.webp')).n_frames == 3
    assert_pillow_decodes('animated.webp', rgb, 'RGB')
    add('animated.webp', 'animated WebP (3 frames, lossless)', 'animated: the first frame only; frames = 3', rgb, frames=3, optionalOpaqueAlpha=True)
    rgbs[0].save(path('multipage.tif'), save_all=True, append_images=rgbs[1:])
    assert Image.open(path('multipage.tif')).n_frames == 3
    add('multipage.tif', 'multi-page TIFF (3 pages)', 'multi-page TIFF: the first page only; frames = 3', rgb, frames=3)

    # No rule: 422.
    write_tiff(path('float32.tif'), rng.random(S + (1,), dtype=np.float32), 32, sample_format=3)
    add('float32.tif', '32-bit float TIFF', '32-bit float samples: 422 naming the format', status=422)
    write_tiff(path('int32.tif'), rng.integers(0, 2**31, S + (1,)), 32, sample_format=1)
    add('int32.tif', '32-bit integer TIFF', '32-bit integer samples: 422 naming the format', status=422)
    write_tiff(path('five-band.tif'), u8(S + (5,)), 8, photometric=1, extra_samples=(0, 0, 0, 0))
    add('five-band.tif', '5-band 8-bit TIFF', 'more than 4 bands: 422 naming the band count', status=422)
    write_tiff(path('cmyk-alpha.tif'), u8(S + (5,)), 8, photometric=5, extra_samples=(2,))
    add('cmyk-alpha.tif', 'CMYK + alpha TIFF', 'CMYK with alpha: 422', status=422)


def main():
    build()
    cases = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else []
    done = {
        c['id']: answers.answer(fixtures[c['fixture']], c, path(c['fixture']))
        for c in cases
        if not fixtures[c['fixture']].get('skip') and ('_s' in fixtures[c['fixture']] or c.get('oracle'))
    }
    manifest = {
        'fixtures': {
            name: {**{k: v for k, v in fx.items() if not k.startswith('_')}, **({'counts': answers.base_counts(fx)} if '_s' in fx else {})}
            for name, fx in fixtures.items()
        },
        'answers': done,
    }
    with open(path('manifest.json'), 'w') as f:
        json.dump(manifest, f)


if __name__ == '__main__':
    main()
