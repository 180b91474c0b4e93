// Worker threads do not inherit the TypeScript loader: boot in JavaScript, register tsx, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./handoff-claim-race.worker.ts');
