#!/usr/bin/env node
// Entry point of the `histogram-client` CLI: parses argv and runs the chosen command.
import { hideBin } from 'yargs/helpers';
import { buildCli } from './cli.ts';

await buildCli(hideBin(process.argv)).parseAsync();
