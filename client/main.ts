#!/usr/bin/env node
// Entry point of the `histogram-client` CLI: parses argv and runs the chosen command. Exit 2 for
// a wrong command line (one line on stderr), 1 when the work failed (an image, a bench), else 0.
import { hideBin } from 'yargs/helpers';
import { buildCli } from './cli.ts';
import { EXIT_USAGE, UsageError } from './cli-usage.ts';

// Kubernetes injects service-link variables (HISTOGRAM_SERVER_SERVICE_HOST, …_PORT_8080_TCP,
// …) for a Service named histogram-server into every pod of the namespace. They share our
// HISTOGRAM_ option prefix, and strict parsing would reject them as unknown options.
const SERVICE_LINK = /^HISTOGRAM_\w*?(_SERVICE_HOST|_SERVICE_PORT(_\w+)?|_PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)$/;
for (const name of Object.keys(process.env)) {
  if (SERVICE_LINK.test(name)) delete process.env[name];
}

try {
  await buildCli(hideBin(process.argv)).parseAsync();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  const help = `histogram-client${error.command ? ` ${error.command}` : ''} --help`;
  process.stderr.write(`histogram-client: ${error.message}; see '${help}'\n`);
  process.exitCode = EXIT_USAGE;
}
