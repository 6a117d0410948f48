// A small Dockerfile and .dockerignore reader for the container tests: stages with their
// instructions, exec-form CMD/ENTRYPOINT, ENV, COPY flags, and Docker's ignore-pattern rules.
import { readFileSync } from 'node:fs';

/** One instruction: keyword upper-cased, `--flag=value` options split off, the rest raw. */
export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  args: string;
}

export interface Stage {
  name: string | undefined;
  /** The FROM image or stage name, ARG defaults substituted. */
  from: string;
  instructions: Instruction[];
}

/** Parses a Dockerfile into stages (line continuations joined, comments dropped). */
export function parseDockerfile(path: string): Stage[] {
  const logical = readFileSync(path, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/);
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const raw of logical) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const flags: Record<string, string> = {};
    let args = rest;
    for (let m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args); m; m = /^--([\w-]+)(?:=(\S*))?\s*/.exec(args)) {
      flags[m[1]!] = m[2] ?? 'true';
      args = args.slice(m[0].length);
    }
    const instruction = { keyword: keyword.toUpperCase(), flags, args: args.trim() };
    if (instruction.keyword === 'FROM') {
      const [image = '', , name] = substitute(instruction.args, globalArgs).split(/\s+/);
      stages.push({ name, from: image, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${path}: ${keyword} before the first FROM`);
      const [key = '', value = ''] = instruction.args.split('=');
      globalArgs[key] = value;
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => vars[(a ?? b)!] ?? '');
}

/** The JSON array of an exec-form CMD/ENTRYPOINT, or undefined for shell form. */
export function execForm(instruction: Instruction | undefined): string[] | undefined {
  if (!instruction?.args.startsWith('[')) return undefined;
  return JSON.parse(instruction.args) as string[];
}

/** ENV key=value pairs (values may be double-quoted). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.keyword === 'ENV')) {
    for (const m of i.args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
      env[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    }
  }
  return env;
}

/** The last instruction with `keyword` in the stage (CMD, ENTRYPOINT, USER, WORKDIR...). */
export function last(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}

/** Sources and destination of a COPY (shell or JSON form). */
export function copyPaths(instruction: Instruction): { sources: string[]; dest: string } {
  const parts = instruction.args.startsWith('[') ? (JSON.parse(instruction.args) as string[]) : instruction.args.split(/\s+/);
  return { sources: parts.slice(0, -1), dest: parts.at(-1)! };
}

/**
 * A .dockerignore matcher with Docker's rules: patterns are cleaned paths with `*`, `?` and
 * `**`; a pattern matching a directory excludes what is inside; `!` re-includes; the last
 * matching pattern wins. Returns true when `path` (relative, `/`-separated) is excluded.
 */
export function dockerignore(path: string): (file: string) => boolean {
  const rules = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split('/')
        .map((seg) =>
          seg === '**'
            ? '.*'
            : seg
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      return { negate, regex: new RegExp(`^${source}$`) };
    });
  return (file) => {
    const parts = file.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negate;
    return excluded;
  };
}
