// A small Dockerfile reader: stages with their instructions and the ENV a stage sets. Kept for
// bench/server-launch.ts, which starts the server with the image's allocator settings; the tests
// read those facts from the built image (test/containers/dockerfile-contract.container.ts).
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
