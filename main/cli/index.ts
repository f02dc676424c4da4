import { Command, CommanderError } from 'commander';
import { appVersion } from '../node/app-root';
import { commandRegistrations } from './commands';
import { errorLine } from './output';

/** Exit code of a failed command: 1 (commander's usage errors keep their own code). */
export const EXIT_FAILURE = 1;

/**
 * Builds the `transfer-studio` program. `onErrorPrinted` is called whenever commander itself prints an
 * error (unknown option, missing argument…), so `main` knows that a CommanderError was already explained.
 */
export function createProgram(onErrorPrinted: () => void = () => {}): Command {
  const program = new Command('transfer-studio')
    .description('Train image classifiers from folders of images by transfer learning, on your machine.')
    .version(appVersion())
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => {
        onErrorPrinted();
        write(text);
      },
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commandRegistrations) register(program);
  return program;
}

/**
 * Runs the CLI; every failure prints one line saying why to stderr and exits non-zero. Errors commander
 * printed itself are not printed twice; errors thrown by an action (a CommanderError such as
 * InvalidArgumentError included) are printed here.
 */
export async function main(argv: string[] = process.argv): Promise<void> {
  let printed = false;
  try {
    await createProgram(() => (printed = true)).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return; // --help, --version
      if (error.code === 'commander.help')
        process.stderr.write('transfer-studio: no command given: pick one of the commands listed above\n');
      else if (!printed) process.stderr.write(`${errorLine(error)}\n`);
      process.exitCode = error.exitCode || EXIT_FAILURE;
      return;
    }
    process.stderr.write(`${errorLine(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
