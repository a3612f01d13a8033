// Probe: why the engine model build measured 50 ms instead of 5 when the benches shared one process (docs/
// performance.md, "Engine model"). dclint's Ajv names the objects it builds code with by generated
// keys (`err128`, `_errs490`, `data183`, …), and a lint leaves V8's map transitions from `{}` at their limit (1,536)
// until the next full GC. Meanwhile an object that starts with a key not among them, JSON.parse's included, gets a
// map of its own: no inline cache fits the next one, and reading the fields of freshly parsed `Ports` entries, the
// model build's first step, is several times slower. Prints, fresh / after dclint / after a full GC: whether two
// parsed objects with the same keys share a map, and the median time to read three fields of 60,000 parsed entries.
//   node --allow-natives-syntax --expose-gc scripts/probes/json-maps-after-dclint.js
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.join(ROOT, 'test/fixtures/corpus/compose');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');

// Each check starts its objects with a key never used before: a transition that exists for a key is reused even
// when the transitions are full (as the engine bench's `Id` and `IP` are, once anything parsed them).
let checks = 0;

function parsedObjectsShareAMap() {
  const key = `probe${++checks}`;
  const [a, b] = JSON.parse(`[{"${key}":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},`
    + `{"${key}":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}]`);
  return haveSameMap(a, b);
}

/** 60,000 entries shaped like the engine's `Ports` entries, `firstKey` in place of `IP`; made as text, no objects. */
function portsText(firstKey) {
  const parts = [];
  for (let i = 0; i < 60_000; i++) {
    parts.push(`{"${firstKey}":"${i & 1 ? '::' : '0.0.0.0'}","PrivatePort":${80 + (i % 1000)},"PublicPort":${10_000 + (i >> 1)},"Type":"tcp"}`);
  }
  return `[${parts.join(',')}]`;
}

/**
 * Median ms to read three fields of every entry of a fresh JSON.parse, over 7 parses. The reading loop is made anew
 * for each call, so its inline caches have seen no other call's maps.
 */
function readMs() {
  const text = portsText(`probe${++checks}`);
  const readAll = new Function('entries', `
    let sum = 0;
    for (const e of entries) sum += e.PublicPort + e.PrivatePort + e.Type.length;
    return sum;`);
  const samples = [];
  for (let run = 0; run < 7; run++) {
    const entries = JSON.parse(text);
    const t0 = performance.now();
    readAll(entries);
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[3].toFixed(2);
}

function report(label) {
  console.log(`${label.padEnd(16)} parsed objects share a map: ${String(parsedObjectsShareAMap()).padEnd(5)}  readMs ${readMs()}`);
}

report('fresh');
const { DCLinter } = require(path.join(ROOT, 'node_modules/dclint/dist/index.cjs'));
const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
for (const f of fs.readdirSync(CORPUS).filter((n) => /\.ya?ml$/.test(n))) linter.lintFiles([path.join(CORPUS, f)], false);
report('after dclint');
global.gc();
report('after a full GC');
