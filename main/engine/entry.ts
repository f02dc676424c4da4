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
