// The WebAssembly module, run in plain Node through the built site's own engine.js, gives the same
// probabilities as the native core (the CLI's `digits predict --json`) on the same drawings,
// within 1e-5, and the same insight (engine.explain() against `digits predict --explain --json`):
// every array of every model, element by element. Drawings: the synthetic drawn-digit set
// (`digits drawn`), fed as gray bytes and as the RGBA a canvas gives (dark ink on transparent), at
// two sizes.
//
// No browser: Chromium runs the same module in the same engine (V8) as Node. What only a browser
// has (fetching the files, a real canvas's getImageData, the pad) is checked by page.test.mjs and
// offline.test.mjs, which draw through the page and read its panels.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { cliPath } from './headless.mjs';
import { defaultRoot as siteRoot } from '../../wasm/site/serve.mjs';

const kTolerance = 1e-5;

// A fresh engine over the built site's files, read from disk (Node's fetch reads no file: URLs).
let createEngine;
const newEngine = () => createEngine({
  readFile: (name) => fs.readFileSync(path.join(siteRoot, name)),
});
let engine;
before(async () => {
  const enginePath = path.join(siteRoot, 'engine.js');
  if (!fs.existsSync(enginePath)) {
    throw new Error(`${enginePath} is missing: build the site first (scripts/build_site.sh).`);
  }
  ({ createEngine } = await import(pathToFileURL(enginePath).href));
  engine = await newEngine();
});

// Renders `count` drawings with the native CLI and returns them as
// [{ label, width, height, gray: Uint8Array, native: { <model id>: [10 probabilities] } }]
// where `native` comes from `digits predict` on the same pixels, saved as a PGM file.
function nativeDrawings(count, side, seed, { explain = null } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-wasm-native-'));
  try {
    execFileSync(cliPath, ['drawn', '--out', dir, '--count', String(count), '--side', String(side),
                           '--seed', String(seed)], { stdio: 'pipe' });
    const images = fs.readFileSync(path.join(dir, 'drawn-images-idx3-ubyte'));
    const labels = fs.readFileSync(path.join(dir, 'drawn-labels-idx1-ubyte'));
    const pixels = side * side;
    return Array.from({ length: count }, (_, i) => {
      const gray = images.subarray(16 + i * pixels, 16 + (i + 1) * pixels);
      const pgm = path.join(dir, `${i}.pgm`);
      fs.writeFileSync(pgm, Buffer.concat([Buffer.from(`P5 ${side} ${side} 255\n`), gray]));
      const tree = explain?.(i);
      const args = ['predict', pgm, '--json',
                    ...(tree === undefined ? [] : ['--explain', '--tree', String(tree)])];
      const out = JSON.parse(execFileSync(cliPath, args, { encoding: 'utf8',
                                                          maxBuffer: 64 << 20 }));
      assert.equal(out.empty, false);
      const native = Object.fromEntries(Object.entries(out.models)
        .map(([id, model]) => [id, model.probabilities]));
      const insight = tree === undefined ? null : Object.fromEntries(Object.entries(out.models)
        .map(([id, model]) => [id, { arrays: model.insight, shapes: model.shapes,
                                     perModel: model.model_arrays }]));
      return { label: labels[8 + i], width: side, height: side, gray: new Uint8Array(gray), native,
               tree, insight };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Each drawing through engine.predict(), as gray and as canvas RGBA.
function wasmPredictions(drawings) {
  return drawings.map(({ gray, width, height }) => {
    const rgba = new Uint8ClampedArray(width * height * 4);
    gray.forEach((g, i) => { rgba[4 * i + 3] = g; });  // black ink, alpha = coverage
    const probabilities = (r) => Object.fromEntries(r.models.map((m) => [m.id, [...m.proba]]));
    return {
      gray: probabilities(engine.predict(gray, width, height, 'gray')),
      rgba: probabilities(engine.predict(rgba, width, height)),
    };
  });
}

for (const [side, seed] of [[280, 5], [97, 6]]) {
  test(`wasm equals native within ${kTolerance} on ${side}x${side} drawings`, (t) => {
    const drawings = nativeDrawings(30, side, seed);
    const results = wasmPredictions(drawings);
    const ids = engine.models.map((m) => m.id);
    // The module and the CLI list the same models (the core's registry; the CLI's JSON sorts them).
    assert.deepEqual(Object.keys(drawings[0].native).sort(), [...ids].sort());
    let worst = 0;
    drawings.forEach((drawing, i) => {
      for (const format of ['gray', 'rgba']) {
        for (const id of ids) {
          const wasm = results[i][format][id];
          const native = drawing.native[id];
          assert.equal(wasm.length, 10);
          for (let d = 0; d < 10; ++d) {
            const diff = Math.abs(wasm[d] - native[d]);
            worst = Math.max(worst, diff);
            assert.ok(diff <= kTolerance,
                      `drawing ${i} (${format}), ${id}, digit ${d}: wasm ${wasm[d]} vs native ${native[d]}`);
          }
        }
      }
    });
    t.diagnostic(`largest difference: ${worst.toExponential(2)}`);
  });
}

// The insight of `digits predict --explain --json` (nested arrays in the order of their shape)
// and that of engine.explain() (typed-array views, row-major over the same shape) for the same
// drawing and tree: the same arrays, shapes and perImage flags, the same integers (the forest's
// leaves, votes and path) and floats within 1e-5. Returns the largest float difference.
function compareInsight(id, native, wasm, where) {
  assert.ok(wasm, `${where}: engine.explain() gave no insight for ${id}`);
  assert.deepEqual(Object.keys(wasm).sort(), Object.keys(native.arrays).sort(), `${where}: ${id}'s arrays`);
  let worst = 0;
  for (const [name, array] of Object.entries(wasm)) {
    const at = `${where}, ${id}.${name}`;
    assert.deepEqual(array.shape, native.shapes[name], `${at}: shape`);
    assert.equal(array.perImage, !native.perModel.includes(name), `${at}: perImage`);
    const expected = native.arrays[name].flat(Infinity);
    assert.equal(array.length, expected.length, `${at}: length`);
    const actual = array.data.subarray(0, array.length);
    if (actual instanceof Int32Array) {
      assert.deepEqual([...actual], expected, `${at}: integers`);
      continue;
    }
    for (let k = 0; k < expected.length; ++k) {
      const diff = Math.abs(actual[k] - expected[k]);
      worst = Math.max(worst, diff);
      if (!(diff <= kTolerance)) {
        assert.fail(`${at}[${k}]: wasm ${actual[k]} vs native ${expected[k]}`);
      }
    }
  }
  return worst;
}

test(`the wasm insight equals the native one within ${kTolerance}, every array of every model`, (t) => {
  // Each drawing asks for another tree's path (0, 37, 74, 11, ...; tree 99 last).
  const trees = (i, count) => (i === count - 1 ? 99 : (37 * i) % 100);
  const count = 6;
  const drawings = nativeDrawings(count, 280, 7, { explain: (i) => trees(i, count) });
  const ids = engine.models.map((m) => m.id);
  const worst = Object.fromEntries(ids.map((id) => [id, 0]));
  drawings.forEach((drawing, i) => {
    const where = `drawing ${i} (tree ${drawing.tree})`;
    const result = engine.explain(drawing.gray, drawing.width, drawing.height,
                                  { format: 'gray', tree: drawing.tree });
    assert.equal(result.empty, false);
    for (const id of ids) {
      worst[id] = Math.max(worst[id], compareInsight(id, drawing.insight[id], result.insight[id], where));
    }
    if (result.insight.forest) assert.ok(result.insight.forest.path_node.length > 0, `${where}: a path`);
    // Each model alone: the same arrays as when all are explained.
    const alone = engine.explain(drawing.gray, drawing.width, drawing.height,
                                 { format: 'gray', tree: drawing.tree, model: 'logreg' });
    assert.deepEqual(Object.keys(alone.insight), ['logreg']);
    compareInsight('logreg', drawing.insight.logreg, alone.insight.logreg, `${where}, logreg alone`);
  });
  for (const id of ids) t.diagnostic(`${id}: largest difference ${worst[id].toExponential(2)}`);
});

test('wrong sizes and empty canvases are reported, never read from stale memory', async () => {
  const fresh = await newEngine();
  const attempt = (f) => {
    try {
      return { result: f() };
    } catch (e) {
      return { error: `${e.name}: ${e.message}` };
    }
  };
  const outcome = {
    // 10 bytes for a 280x280 image, after the weights (363 KB) went through the same buffer.
    short: attempt(() => fresh.predict(new Uint8Array(10), 280, 280, 'gray')),
    rgbaAsGray: attempt(() => fresh.predict(new Uint8Array(28 * 28 * 4), 28, 29)),
    zeroSide: attempt(() => fresh.predict(new Uint8Array(0), 0, 0)),
    blank: attempt(() => fresh.predict(new Uint8ClampedArray(280 * 280 * 4), 280, 280)),
  };
  for (const name of ['short', 'rgbaAsGray', 'zeroSide']) {
    assert.match(outcome[name].error ?? '', /EngineError: predict: bad size/, name);
  }
  assert.deepEqual(outcome.blank, { result: { empty: true } });
});
