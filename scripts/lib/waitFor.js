// Waiting on a condition for the scripts (plain node): the engine's start and stop, code-server's health check.
// test/support/waitFor.ts is the same for the tests.
'use strict';

/** Polls `predicate` every `intervalMs` until it is truthy; throws after `timeoutMs`, naming `what`. */
async function waitFor(predicate, timeoutMs, what, intervalMs = 200) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

module.exports = { waitFor };
