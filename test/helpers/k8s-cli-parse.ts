// Checks a command line against the client's own yargs definition without running the
// command: a global middleware, which yargs runs after validation and before the handler,
// captures the parsed arguments and aborts. Used for the k8s Jobs' container args.
import { buildCli } from '../../client/cli.ts';

/** Outcome of parsing: the arguments yargs produced, or its validation message. */
export type ParseResult = { ok: true; argv: Record<string, unknown> & { _: (string | number)[] } } | { ok: false; error: string };

const PARSED = Symbol('parsed, handler skipped');

/**
 * Parses `args` with buildCli() under the environment `env` (the CLI reads HISTOGRAM_*
 * variables), never running a handler.
 */
export async function parseClientArgs(args: string[], env: Record<string, string> = {}): Promise<ParseResult> {
  let captured: ParseResult | undefined;
  const saved = { ...process.env };
  // yargs' .env() reads process.env at parse time: show it only what the pod would have.
  for (const key of Object.keys(process.env)) if (key.startsWith('HISTOGRAM')) delete process.env[key];
  Object.assign(process.env, env);
  try {
    await buildCli(args)
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new Error(message);
      })
      // applyBeforeValidation=false: runs once validation has passed, just before the handler.
      .middleware((argv) => {
        captured = { ok: true, argv: { ...argv } as Extract<ParseResult, { ok: true }>['argv'] };
        throw PARSED;
      }, false)
      .parseAsync();
    return { ok: false, error: 'yargs finished without reaching a command (help or version printed?)' };
  } catch (error) {
    if (error === PARSED && captured) return captured;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
