// Build step: the web page's static files are not TypeScript, so tsc does not emit them;
// copy them beside the compiled server (dist/server/web), where web-routes.js looks.
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/server/web', { recursive: true, force: true });
cpSync('server/web', 'dist/server/web', { recursive: true });
