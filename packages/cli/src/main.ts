// The `rmsprop` command.
import { run } from './program.js';

// Output piped into a reader that stopped early (`rmsprop train --help | head`) is no error of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await run(process.argv.slice(2));
