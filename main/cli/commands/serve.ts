import { InvalidArgumentError, type Command } from 'commander';
import { startServer } from '../../server/server';

/** Parses a TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`expected a port from 0 to 65535, received ${JSON.stringify(value)}`);
  }
  return port;
}

/** `transfer-studio serve [--port N] [--root DIR]...`: browser mode on 127.0.0.1. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the app to your browser on 127.0.0.1 (prints a URL with an access token)')
    .option('--port <n>', 'port on 127.0.0.1; 0 picks a free one', parsePort, 7421)
    .option(
      '--root <dir>',
      'a folder the browser may read (repeatable)',
      (dir: string, all: string[]) => [...all, dir],
      [],
    )
    .action(async (options: { port: number; root: string[] }) => {
      const server = await startServer({ port: options.port, roots: options.root });
      console.log('Transfer Studio is running in browser mode. Open this URL (it carries your access token):');
      console.log(server.url);
      if (options.root.length === 0) console.log('No --root given: the browser cannot open any folder.');
      const shutdown = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
