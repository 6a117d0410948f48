"""Encoders and conversions for fidelity-fixtures.py, written plainly: 16-bit PNG and baseline TIFF
writers (Pillow cannot write every 16-bit or many-band layout), Pillow's luma and cmyk2rgb in numpy.
"""
import struct
import zlib

import numpy as np


def luma(r, g, b):
    """Pillow's convert("L") (libImaging/Convert.c, L24): exact integers, any sample width."""
    r, g, b = (np.asarray(x, dtype=np.int64) for x in (r, g, b))
    return (19595 * r + 38470 * g + 7471 * b + 32768) >> 16


def write_png16(file, a):
    """A 16-bit PNG (colour type from the channel count), unfiltered rows, one IDAT."""
    h, w, c = a.shape
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    rows = a.astype('>u2').reshape(h, w * c)
    raw = b''.join(b'\0' + row.tobytes() for row in rows)

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))

    ihdr = struct.pack('>IIBBBBB', w, h, 16, colour_type, 0, 0, 0)
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
    with open(file, 'wb') as f:
        f.write(png)


def write_tiff(file, a, bits, sample_format=1, photometric=None, extra_samples=()):
    """A little-endian baseline TIFF, uncompressed, one strip, chunky: any band count and sample type."""
    h, w, c = a.shape
    if photometric is None:
        photometric = 1 if c <= 2 else 2
    dtype = {(8, 1): '<u1', (16, 1): '<u2', (32, 1): '<u4', (32, 2): '<i4', (32, 3): '<f4'}[(bits, sample_format)]
    data = a.astype(dtype).tobytes()
    tags = [  # (tag, type, values): type 3 SHORT, 4 LONG
        (256, 4, [w]), (257, 4, [h]), (258, 3, [bits] * c), (259, 3, [1]), (262, 3, [photometric]),
        (273, 4, [0]), (277, 3, [c]), (278, 4, [h]), (279, 4, [len(data)]), (284, 3, [1]),
    ]
    if extra_samples:
        tags.append((338, 3, list(extra_samples)))
    tags.append((339, 3, [sample_format] * c))
    ifd_size = 2 + 12 * len(tags) + 4
    extra_at = 8 + ifd_size
    extra = b''
    entries = b''
    for tag, kind, values in tags:
        size = {3: 2, 4: 4}[kind]
        packed = struct.pack('<' + ('H' if kind == 3 else 'I') * len(values), *values)
        if len(packed) <= 4:
            entries += struct.pack('<HHI', tag, kind, len(values)) + packed.ljust(4, b'\0')
        else:
            entries += struct.pack('<HHII', tag, kind, len(values), extra_at + len(extra))
            extra += packed + b'\0' * (len(packed) % 2)
        assert size * len(values) == len(packed)
    strip_at = extra_at + len(extra)
    entries = entries.replace(struct.pack('<HHII', 273, 4, 1, 0), struct.pack('<HHII', 273, 4, 1, strip_at))
    ifd = struct.pack('<H', len(tags)) + entries + struct.pack('<I', 0)
    with open(file, 'wb') as f:
        f.write(b'II*\0' + struct.pack('<I', 8) + ifd + extra + data)


def cmyk_to_rgb(cmyk):
    """Pillow's cmyk2rgb (libImaging/Convert.c), plainly: nk = 255 - K; R = clip(nk - MULDIV255(C, nk))."""
    c = cmyk.astype(np.int64)
    nk = 255 - c[..., 3:4]
    tmp = c[..., :3] * nk + 128
    return np.clip(nk - (((tmp >> 8) + tmp) >> 8), 0, 255).astype(np.uint8)


def linear_rgb_icc():
    """A minimal ICC v2 RGB display profile that is not sRGB: linear tone curves (gamma 1.0),
    Adobe RGB-like primaries. A decoder that honours it changes every sample; one that counts
    the samples as stored does not."""
    def s15(v):
        return struct.pack('>i', int(round(v * 65536)))

    def xyz(x, y, z):
        return b'XYZ \0\0\0\0' + s15(x) + s15(y) + s15(z)

    def curv(gamma):
        return b'curv\0\0\0\0' + struct.pack('>IH', 1, int(gamma * 256)) + b'\0\0'

    def desc(text):
        ascii_ = text.encode() + b'\0'
        body = b'desc\0\0\0\0' + struct.pack('>I', len(ascii_)) + ascii_ + struct.pack('>II', 0, 0) + struct.pack('>HB', 0, 0) + b'\0' * 67
        return body + b'\0' * (-len(body) % 4)

    tags = [
        (b'desc', desc('linear test RGB')),
        (b'wtpt', xyz(0.9642, 1.0, 0.8249)),
        (b'rXYZ', xyz(0.6097, 0.3111, 0.0195)),
        (b'gXYZ', xyz(0.2053, 0.6257, 0.0609)),
        (b'bXYZ', xyz(0.1492, 0.0632, 0.7446)),
        (b'rTRC', curv(1.0)),
        (b'gTRC', curv(1.0)),
        (b'bTRC', curv(1.0)),
        (b'cprt', b'text\0\0\0\0public domain\0\0\0'),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table = data = b''
    for signature, body in tags:
        table += signature + struct.pack('>II', offset + len(data), len(body))
        data += body + b'\0' * (-len(body) % 4)
    body = struct.pack('>I', len(tags)) + table + data
    header = (
        struct.pack('>I', 128 + len(body)) + b'none' + struct.pack('>I', 0x02100000) + b'mntrRGB XYZ '
        + struct.pack('>6H', 2026, 1, 1, 0, 0, 0) + b'acsp' + b'\0' * 28
        + s15(0.9642) + s15(1.0) + s15(0.8249) + b'\0' * 48
    )
    assert len(header) == 128
    return header + body
