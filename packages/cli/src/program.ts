import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { exitStatusOf } from './cli-error.js';
import { addCompareCommand } from './compare-command.js';
import { addLrFindCommand } from './lr-find-command.js';
import { addReportCommand } from './report-command.js';
import { addTrainCommand } from './train-command.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const EXAMPLES = `
Examples:
  $ rmsprop train --problem mnist_cnn --optimizer rmsprop:lr=1e-3 --epochs 5
  $ rmsprop compare --problem mnist_cnn --optimizers "rmsprop:lr=1e-3;adam:lr=1e-3;sgd:lr=0.05,momentum=0.9" --seeds 2
  $ rmsprop lr-find --problem fmnist_mlp --optimizer adam
  $ rmsprop report runs/compare-mnist_cnn

Run rmsprop COMMAND --help for a command's flags and examples.`;

function program(): Command {
  // Settings given before the commands are created are inherited by them: Commander throws instead of
  // exiting, and prints no errors itself (they are printed once, on one line, by run()).
  const p = new Command('rmsprop')
    .description('Train reference problems with RMSProp and its relatives, compare optimizers, find learning rates.')
    .version(version)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    .addHelpText('after', EXAMPLES);
  addTrainCommand(p);
  addCompareCommand(p);
  addLrFindCommand(p);
  addReportCommand(p);
  return p;
}

const oneLine = (s: string): string =>
  s
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** Runs the command line (without `node` and the script) and gives the exit status. */
export async function run(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  const where = `rmsprop${command && ['train', 'compare', 'lr-find', 'report'].includes(command) ? ` ${command}` : ''}`;
  try {
    await program().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version were printed; `rmsprop` alone printed its help to stderr.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return 2;
      process.stderr.write(`${where}: ${oneLine(e.message)}; see ${where} --help\n`);
      return 2;
    }
    const error = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`${where}: ${oneLine(error.message)}\n`);
    if (argv.includes('--verbose')) process.stderr.write(`${error.stack ?? ''}\n`);
    return exitStatusOf(e);
  }
}
