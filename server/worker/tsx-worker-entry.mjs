// Development only (tests, `npm run dev`): worker threads do not inherit tsx's loader on
// Node 20, so register it here, then load the TypeScript worker. The tsc build uses
// image-worker.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
const worker = await import(new URL('./image-worker.ts', import.meta.url).href);
export default worker.default;
