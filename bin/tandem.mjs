#!/usr/bin/env node
/** The `tandem` command (src/cli/tandem-cli.ts), run from the sources with tsx. */
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/tandem-cli.ts');
process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
});
