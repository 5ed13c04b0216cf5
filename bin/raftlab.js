#!/usr/bin/env node
// The `raftlab` command: runs the TypeScript CLI through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

// A reader that closes the pipe early (`raftlab ... | head`) is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
