import type { Command } from 'commander';
import { registerInfo } from './info';
import { registerServe } from './serve';

/** Every CLI command; a new command is one file plus one line here. */
export const commandRegistrations: ((program: Command) => void)[] = [registerInfo, registerServe];
