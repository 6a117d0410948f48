// One-line usage messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLineMessage } from './cli-usage.ts';

test("yargs' multi-line messages become one line naming the option", () => {
  assert.equal(
    oneLineMessage('Invalid values:\n  Argument: format, Given: "gif", Choices: "png", "json", "csv"'),
    'Expected one of png, json, csv for --format but received "gif"',
  );
  assert.equal(oneLineMessage('Missing required argument: image'), 'Missing required option --image');
});
