// Parsing Debian wrk's output and multipart.lua's status line into the suite's figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWrkOutput, parseWrkTime, percentileOf, wrkFigures } from './wrk-output.ts';

// Printed by wrk debian/4.1.0-3+b2 against an overloaded server (STATUSES=1), trimmed latencies.
const OVERLOADED = `Running 5s test @ http://127.0.0.1:18931/process-image
  2 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   560.35ms    1.01s    4.81s    85.43%
    Req/Sec   302.21    141.64   762.00     62.50%
  Latency Distribution
     50%   59.72ms
     75%  527.34ms
     90%    2.22s 
     99%    4.14s 
  2922 requests in 5.05s, 1.46MB read
  Socket errors: connect 0, read 3, write 0, timeout 7
  Non-2xx or 3xx responses: 2853
Requests/sec:    578.70
Transfer/sec:    295.98KB
wrk-statuses {"statuses":{"503":2853,"200":69},"untimedOk":0,"okLatencyUs":[${Array.from({ length: 69 }, (_, k) => (k + 1) * 1000).join(',')}]}
`;

const PLAIN = `Running 4s test @ http://127.0.0.1:18931/process-image
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    39.44ms   14.71ms 101.22ms   73.28%
    Req/Sec   101.55     22.23   151.00     80.00%
  Latency Distribution
     50%   32.62ms
     75%   51.14ms
     90%   60.77ms
     99%   78.85ms
  405 requests in 4.00s, 2.69MB read
Requests/sec:    101.15
Transfer/sec:    687.29KB
`;

test('wrk times in us, ms, s and m convert to milliseconds', () => {
  assert.equal(parseWrkTime('870.00us'), 0.87);
  assert.equal(parseWrkTime('32.62ms'), 32.62);
  assert.equal(parseWrkTime('2.22s '), 2220);
  assert.equal(parseWrkTime('1.50m'), 90_000);
  assert.throws(() => parseWrkTime('fast'), /Expected a wrk time such as 32.62ms but received "fast"/);
});

test('a plain run gives requests, duration, rate and the latency distribution', () => {
  const s = parseWrkOutput(PLAIN);
  assert.equal(s.requests, 405);
  assert.equal(s.durationS, 4);
  assert.equal(s.requestsPerSec, 101.15);
  assert.equal(s.non2xx3xx, 0);
  assert.deepEqual(s.socketErrors, { connect: 0, read: 0, write: 0, timeout: 0 });
  assert.deepEqual(s.latencyMs, { avg: 39.44, max: 101.22, p50: 32.62, p75: 51.14, p90: 60.77, p99: 78.85 });
  assert.equal(s.statuses, null);
});

test('an overloaded run gives non-2xx, socket errors and the STATUSES=1 line', () => {
  const s = parseWrkOutput(OVERLOADED);
  assert.equal(s.non2xx3xx, 2853);
  assert.deepEqual(s.socketErrors, { connect: 0, read: 3, write: 0, timeout: 7 });
  assert.equal(s.latencyMs?.p90, 2220);
  assert.deepEqual(s.statuses, { 503: 2853, 200: 69 });
  assert.equal(s.okLatencyUs?.length, 69);
  assert.equal(s.untimedOk, 0);
});

test('output without the requests line (wrk could not connect) is an error quoting it', () => {
  assert.throws(
    () => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n'),
    /Expected wrk's "N requests in T" line but received:\nunable to connect/,
  );
});

test('nearest-rank percentiles of 1..100 are the rank itself; of nothing, null', () => {
  const values = Array.from({ length: 100 }, (_, k) => 100 - k);
  assert.equal(percentileOf(values, 50), 50);
  assert.equal(percentileOf(values, 99), 99);
  assert.equal(percentileOf(values, 100), 100);
  assert.equal(percentileOf([7], 99), 7);
  assert.equal(percentileOf([], 50), null);
});

test('under overload the 2xx count, rate and latency come from the tagged 2xx alone', () => {
  const f = wrkFigures(parseWrkOutput(OVERLOADED));
  assert.equal(f.ok, 69);
  assert.equal(f.okPerSec, 69 / 5.05);
  assert.deepEqual(f.failures, { 503: 2853, 'socket read': 3, 'socket timeout': 7 });
  // 69 values 1..69 ms: rank ceil(0.5·69) = 35, rank ceil(0.99·69) = 69.
  assert.equal(f.p50Ms, 35);
  assert.equal(f.p99Ms, 69);
  assert.equal(f.latencyNote, 'every 2xx timed by its request id');
});

test("when every response was a 2xx but none was tagged, wrk's own percentiles are the 2xx's", () => {
  const untagged = `${PLAIN}wrk-statuses {"statuses":{"200":405},"untimedOk":405,"okLatencyUs":[]}\n`;
  const f = wrkFigures(parseWrkOutput(untagged));
  assert.equal(f.ok, 405);
  assert.equal(f.p50Ms, 32.62);
  assert.equal(f.p99Ms, 78.85);
  assert.match(f.latencyNote, /wrk's own percentiles/);
});

test('mixed statuses with too few tagged 2xx leave the 2xx latency unknown and say why', () => {
  const text = OVERLOADED.replace(/"untimedOk":0,"okLatencyUs":\[[^\]]*\]/, '"untimedOk":66,"okLatencyUs":[1000,2000,3000]');
  const f = wrkFigures(parseWrkOutput(text));
  assert.equal(f.p50Ms, null);
  assert.match(f.latencyNote, /only 3 of 69 2xx timed/);
});

test("without the status line, 2xx are the requests less wrk's non-2xx count", () => {
  const f = wrkFigures(parseWrkOutput(OVERLOADED.replace(/^wrk-statuses.*$/m, '')));
  assert.equal(f.ok, 69);
  assert.equal(f.failures['non-2xx'], 2853);
  assert.equal(f.p50Ms, null);
});
