// A small glob matcher (Node 20 has neither fs.glob nor path.matchesGlob): `*`, `?`, `[abc]`,
// `{a,b}` and `**` for any depth, `/`-separated.

/** True when `text` contains a glob metacharacter this matcher understands. */
export function hasGlobMagic(text: string): boolean {
  return /[*?[{]/.test(text);
}

/**
 * Compiles a glob to a RegExp over a `/`-separated relative path. `*` and `?` never match `/`;
 * `**` as a whole segment matches zero or more segments. Dot files are matched like any other.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      const whole = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
      if (whole && glob[i + 2] === '/') {
        source += '(?:[^/]*/)*'; // `**/`: any number of directories, including none
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body}]`;
        i = end;
      }
    } else if (ch === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) source += '\\{';
      else {
        const options = glob.slice(i + 1, end).split(',').map((part) => globToRegExp(part).source.slice(1, -1));
        source += `(?:${options.join('|')})`;
        i = end;
      }
    } else source += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Splits a glob into the directory to start walking from (the segments before the first one
 * with magic) and the rest. `photos/2024/*.jpg` -> `photos/2024` + `*.jpg`.
 */
export function splitGlobBase(glob: string): { base: string; rest: string } {
  const segments = glob.split('/');
  const first = segments.findIndex(hasGlobMagic);
  if (first === -1) return { base: glob, rest: '' };
  const baseSegments = segments.slice(0, first);
  const base = baseSegments.join('/') || (glob.startsWith('/') ? '/' : '.');
  return { base, rest: segments.slice(first).join('/') };
}
