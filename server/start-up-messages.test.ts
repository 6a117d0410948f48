import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listenErrorMessage, listeningMessage } from './start-up-messages.ts';

const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

test('the listening line gives a URL to open (localhost for the wildcard addresses) and the HOST and PORT it came from', () => {
  assert.equal(listeningMessage('127.0.0.1', 8080), 'histogram-service listening on http://127.0.0.1:8080 (HOST=127.0.0.1 PORT=8080)');
  assert.equal(listeningMessage('0.0.0.0', 8080), 'histogram-service listening on http://localhost:8080 (HOST=0.0.0.0 PORT=8080)');
  assert.equal(listeningMessage('::1', 9000), 'histogram-service listening on http://[::1]:9000 (HOST=::1 PORT=9000)');
});

test('a failure to listen names the port and the variable that changes it', () => {
  const cases: Array<[string, RegExp]> = [
    ['EADDRINUSE', /cannot listen on port 8080 on 0\.0\.0\.0: the port is already in use .*choose another port with PORT, e\.g\. PORT=8081 npm start/],
    ['EACCES', /cannot listen on port 8080 on 0\.0\.0\.0: permission denied .*Choose another port with PORT/],
    ['EADDRNOTAVAIL', /0\.0\.0\.0 is not an address of this machine\. Choose another with HOST/],
    ['EOTHER', /cannot listen on port 8080 on 0\.0\.0\.0: listen EOTHER\. PORT and HOST choose where it listens/],
  ];
  for (const [code, message] of cases) assert.match(listenErrorMessage(failure(code), '0.0.0.0', 8080), message, code);
  assert.match(listenErrorMessage(failure('EADDRINUSE'), '0.0.0.0', 8081), /PORT=8080 npm start/);
});
