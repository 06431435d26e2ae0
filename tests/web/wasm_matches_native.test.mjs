// The WebAssembly module, run in plain Node through the built site's own engine.js, gives the same
// probabilities as the native core (the CLI's `digits predict --json`) on the same drawings,
// within 1e-5. Drawings: the synthetic drawn-digit set (`digits drawn`), fed as gray bytes and as
// the RGBA a canvas gives (dark ink on transparent), at two sizes.
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
function nativeDrawings(count, side, seed) {
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
      const out = JSON.parse(execFileSync(cliPath, ['predict', pgm, '--json'], { encoding: 'utf8' }));
      assert.equal(out.empty, false);
      const native = Object.fromEntries(Object.entries(out.models)
        .map(([id, model]) => [id, model.probabilities]));
      return { label: labels[8 + i], width: side, height: side, gray: new Uint8Array(gray), native };
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
