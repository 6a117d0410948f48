// Wrong command lines, told in one line: unknown options (with the nearest known name), values
// that are not numbers, and yargs' own validation messages flattened. The entry prints the
// message with a pointer to --help and exits 2, apart from exit 1 for "an image failed".
import type { Argv } from 'yargs';
import { nearestName } from '../server/api/nearest-name.ts';

/** Exit status for a wrong command line or option value: nothing was sent. */
export const EXIT_USAGE = 2;

/** A command line the CLI refuses; `command` is the subcommand whose --help to point to. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** The parts of yargs' internal option table this module reads (yargs `getOptions()`). */
interface OptionTable {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  number: string[];
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The option names a command knows, in every spelling yargs accepts (kebab and camel). */
function knownNames(options: OptionTable): Set<string> {
  const names = new Set<string>(['help', 'h', 'version']);
  for (const key of Object.keys(options.key)) {
    names.add(key);
    names.add(camel(key));
  }
  for (const [key, aliases] of Object.entries(options.alias)) {
    names.add(key);
    for (const alias of aliases) names.add(alias);
  }
  return names;
}

/** Option tokens on the command line, as written: `--name`, `--name=v`, `-x`, `-xyz`. */
function optionTokens(args: readonly string[]): Array<{ name: string; written: string }> {
  const found: Array<{ name: string; written: string }> = [];
  for (const arg of args) {
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      found.push({ name, written: `--${name}` });
    } else if (/^-[^-\d]/.test(arg)) {
      for (const letter of arg.slice(1).split('=')[0]!) found.push({ name: letter, written: `-${letter}` });
    }
  }
  return found;
}

/** The raw text given for option `name` (or an alias) on the command line, if any. */
function rawValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    for (const name of names) {
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      if (arg === flag) return args[i + 1];
      if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    }
  }
  return undefined;
}

/**
 * A yargs middleware (run before validation) that refuses, with a one-line UsageError:
 * an option the command does not know, naming it and the nearest known one; and a value that
 * is not a number for a numeric option.
 */
export function usageCheck(args: readonly string[], commands: readonly string[]) {
  return (argv: { _: Array<string | number> }, yargs: Argv): void => {
    const command = typeof argv._[0] === 'string' && commands.includes(argv._[0]) ? argv._[0] : undefined;
    const options = (yargs as unknown as { getOptions(): OptionTable }).getOptions();
    const known = knownNames(options);
    for (const { name, written } of optionTokens(args)) {
      const bare = name.startsWith('no-') && known.has(name.slice(3)) ? name.slice(3) : name;
      if (known.has(bare)) continue;
      const near = nearestName(
        name,
        [...known].filter((k) => !/[A-Z]/.test(k) || k.length === 1),
      );
      const hint = near ? ` (did you mean ${near.length === 1 ? '-' : '--'}${near}?)` : '';
      throw new UsageError(`Unknown argument ${written}${hint}`, command);
    }
    if (command === undefined && argv._.length > 0) {
      const near = nearestName(String(argv._[0]), commands);
      throw new UsageError(`Unknown command ${JSON.stringify(String(argv._[0]))}${near ? ` (did you mean ${near}?)` : ''}`);
    }
    for (const key of options.number) {
      const values = ([] as unknown[]).concat((argv as Record<string, unknown>)[key]);
      if (values.some((v) => typeof v === 'number' && Number.isNaN(v))) {
        const names = [key, ...(options.alias[key] ?? [])];
        const long = names.find((n) => n.length > 1) ?? key;
        throw new UsageError(`Expected a number for --${long} but received ${JSON.stringify(rawValue(args, names) ?? '')}`, command);
      }
    }
  };
}

/**
 * Turns what yargs reports (`Invalid values:\n  Argument: format, Given: "gif", Choices: ...`,
 * `Missing required argument: image`) into one line that names the option as it is typed.
 */
export function oneLineMessage(message: string): string {
  const invalid = /Argument: ([\w-]+), Given: (".*?"|\S+), Choices: (.*)/.exec(message);
  if (invalid) return `Expected one of ${invalid[3]!.replace(/"/g, '')} for --${invalid[1]} but received ${invalid[2]}`;
  const missing = /^Missing required arguments?: (.*)$/.exec(message.trim());
  if (missing)
    return `Missing required option ${missing[1]!
      .split(', ')
      .map((n) => `--${n}`)
      .join(', ')}`;
  return message.replace(/\s*\n\s*/g, '; ').trim();
}

/** The fail handler of the CLI: every yargs or `.check()` failure becomes a UsageError. */
export function failAsUsageError(args: readonly string[], commands: readonly string[]) {
  return (message: string | null, error: Error | undefined): never => {
    if (error instanceof UsageError) throw error;
    const command = args.find((a) => commands.includes(a));
    throw new UsageError(oneLineMessage(error?.message ?? message ?? 'invalid command line'), command);
  };
}

/**
 * Writes the one usage line for `error` and sets exit status 2: for values a command finds
 * wrong once parsing has passed (a header without colon, a duration, a URL), so they read
 * like the parser's own.
 */
export function writeUsageError(error: unknown, command?: string): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`histogram-client: ${message}; see 'histogram-client${command ? ` ${command}` : ''} --help'\n`);
  process.exitCode = EXIT_USAGE;
}
