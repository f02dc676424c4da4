/**
 * The engine process: a plain Node program (never imports electron) started by Electron's
 * utilityProcess, or by child_process.fork from the CLI, the server and the tests.
 */
import { connectToHost } from './port';
import { Dispatcher } from './dispatcher';
import { createHandlers } from './handlers';
import { backendReady } from './runtime';

const port = connectToHost();
const dispatcher = new Dispatcher(createHandlers(), (message) => port.send(message));
port.onMessage((message) => dispatcher.handle(message));
// Start loading tfjs now so the first real call does not pay for it; errors surface through `info`.
backendReady().catch(() => undefined);
port.send({ type: 'event', name: 'engine.ready', payload: { pid: process.pid } });
// Ctrl-C in a terminal sends SIGINT to the whole foreground process group, engine included. The host
// decides what Ctrl-C means (the CLI cancels the job like the Cancel button), so the engine ignores it…
process.on('SIGINT', () => undefined);
// …and ends when its host goes away (a second Ctrl-C exits the CLI at once), instead of training on alone.
process.on('disconnect', () => process.exit(0));
