import { Command, CommanderError } from 'commander';
import { appVersion } from '../node/app-root';
import { commandRegistrations } from './commands';
import { errorLine } from './output';

/** Builds the `transfer-studio` program. */
export function createProgram(): Command {
  const program = new Command('transfer-studio')
    .description('Train image classifiers from folders of images by transfer learning, on your machine.')
    .version(appVersion())
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commandRegistrations) register(program);
  return program;
}

/** Runs the CLI; on error prints one line to stderr and exits non-zero. */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`${errorLine(error)}\n`);
    process.exitCode = 1;
  }
}
