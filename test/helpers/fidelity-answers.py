"""Answers for fidelity-fixtures.py: what numpy says the API returns for one case (counts, outer
edges, the number counted, statistics), and the old service's formula run on the file.
"""
import math
from fractions import Fraction

import numpy as np
from PIL import Image


def nearest_rank(sorted_values, p):
    """The smallest value whose cumulative count reaches ceil(p * n) (exact rational p)."""
    k = max(1, math.ceil(p * len(sorted_values)))  # a Fraction: no rounding at 0.01 * n
    return int(sorted_values[k - 1])


def stats(a, depth):
    """Statistics over the counted samples `a`: population stdev, nearest-rank percentiles, entropy in bits."""
    if a.size == 0:
        return None
    counts = np.bincount(a.astype(np.int64), minlength=2**depth)
    prob = counts[counts > 0] / a.size
    s = np.sort(a)
    return {
        'mean': float(a.astype(np.float64).mean()), 'stdev': float(a.astype(np.float64).std()),
        'min': int(s[0]), 'max': int(s[-1]),
        'median': nearest_rank(s, Fraction(1, 2)), 'p01': nearest_rank(s, Fraction(1, 100)), 'p99': nearest_rank(s, Fraction(99, 100)),
        'entropy': float(-(prob * np.log2(prob)).sum()),
    }


def counts_json(counts):
    """Dense list up to 256 bins; a sparse {bin: count} map beyond (mostly zeros at depth 16)."""
    if len(counts) <= 256:
        return [int(c) for c in counts]
    return {'length': len(counts), 'sparse': {str(i): int(c) for i, c in enumerate(counts) if c}}


def answer(fx, case, file):
    """numpy's answer to `case` for fixture `fx` (its samples in fx['_s']), written to `file`."""
    if case.get('oracle') == 'old-service':
        # The old service, word for word: np.histogram(np.asarray(img.convert('L')), bins=256).
        counts, edges = np.histogram(np.asarray(Image.open(file).convert('L')), bins=256)
        return {'histogram': counts_json(counts), 'binRange': [float(edges[0]), float(edges[-1])]}
    depth = 16 if fx['depth'] == 16 and case.get('depth', 8) == 16 else 8
    bins = case.get('bins', 256)
    s = fx['_s'][depth]
    mask = case.get('mask', 'none')
    keep = s['alpha'] != 0 if mask == 'alpha' and 'alpha' in s else np.ones(s['red'].shape, bool)
    rng_ = case.get('range', 'full')
    default = (['luma'] if fx['gray'] else ['red', 'green', 'blue']) + (['alpha'] if fx['hasAlpha'] else []) + ([] if fx['gray'] else ['luma'])
    names = case.get('channels', default)
    out, optional = {}, {}
    # A GIF or animated WebP without transparency may decode with an alpha channel; if the
    # answer has one, it must be opaque.
    extra = ['alpha'] if fx.get('optionalOpaqueAlpha') and 'channels' not in case else []
    for name in names + extra:
        full = s.get(name)
        if full is None:  # alpha asked of an image without one: opaque
            full = np.full(s['red'].shape, 2**depth - 1, s['red'].dtype)
        a = full[keep]
        if rng_ == 'full':
            counts, edges = np.histogram(a, bins, range=(0, 2**depth))
        elif rng_ == 'data':
            counts, edges = np.histogram(a, bins)
        else:
            lo, hi = (float(x) for x in rng_.split(','))
            counts, edges = np.histogram(a, bins, range=(lo, hi))
        (optional if name in extra else out)[name] = {
            'counts': counts_json(counts), 'binRange': [float(edges[0]), float(edges[-1])], 'stats': stats(a, depth),
        }
    return {
        'depth': depth, 'bins': bins, 'mask': mask, 'counted': int(keep.sum()),
        'range': rng_ if rng_ in ('full', 'data') else 'explicit', 'channels': out, 'optionalChannels': optional,
    }


def base_counts(fx):
    """Per-channel value counts: 256 at depth 8, sparse np.bincount at depth 16."""
    out = {}
    for depth, s in fx['_s'].items():
        out[str(depth)] = {
            name: [int(c) for c in np.bincount(v, minlength=256)] if depth == 8 else {str(i): int(c) for i, c in enumerate(np.bincount(v)) if c}
            for name, v in s.items()
        }
    return out
