import { main } from './index';

void main();
