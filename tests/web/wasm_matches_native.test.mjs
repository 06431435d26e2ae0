// The WebAssembly module, run in Chromium through web/engine.js, gives the same probabilities as
// the native core (the CLI's `digits predict --json`) on the same drawings, within 1e-5.
// Drawings: the synthetic drawn-digit set (`digits drawn`), fed as gray bytes and as the RGBA a
// canvas gives (dark ink on transparent), at two sizes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { cliPath, kModelIds, openPage, startBrowserSession } from './browser.mjs';

const kTolerance = 1e-5;

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

// Renders `count` drawings with the native CLI and returns them as
// [{ label, width, height, gray: Uint8Array, native: { logreg: [10], forest: [10], lenet: [10] } }]
// where `native` comes from `digits predict` on the same pixels, saved as a PGM file.
function nativeDrawings(count, side, seed) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-wasm-native-'));
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
    const native = Object.fromEntries(kModelIds.map((id) => [id, out.models[id].probabilities]));
    return { label: labels[8 + i], width: side, height: side, gray: [...gray], native };
  });
}

// Each drawing through engine.predict() in the page, as gray and as canvas RGBA.
function wasmPredictions(page, drawings) {
  return page.evaluate(async (items) => {
    const { createEngine } = await import('./engine.js');
    const engine = await createEngine();
    return items.map(({ gray, width, height }) => {
      const rgba = new Uint8ClampedArray(width * height * 4);
      gray.forEach((g, i) => { rgba[4 * i + 3] = g; });  // black ink, alpha = coverage
      const probabilities = (r) => Object.fromEntries(r.models.map((m) => [m.id, [...m.proba]]));
      return {
        gray: probabilities(engine.predict(new Uint8Array(gray), width, height, 'gray')),
        rgba: probabilities(engine.predict(rgba, width, height)),
      };
    });
  }, drawings.map(({ gray, width, height }) => ({ gray, width, height })));
}

for (const [side, seed] of [[280, 5], [97, 6]]) {
  test(`wasm equals native within ${kTolerance} on ${side}x${side} drawings`, async (t) => {
    const drawings = nativeDrawings(30, side, seed);
    const page = await openPage(session);
    const results = await wasmPredictions(page, drawings);
    let worst = 0;
    drawings.forEach((drawing, i) => {
      for (const format of ['gray', 'rgba']) {
        for (const id of kModelIds) {
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
    await page.closeAll();
  });
}

test('wrong sizes and empty canvases are reported, never read from stale memory', async () => {
  const page = await openPage(session);
  const outcome = await page.evaluate(async () => {
    const { createEngine } = await import('./engine.js');
    const engine = await createEngine();
    const attempt = (f) => { try { return { result: f() }; } catch (e) { return { error: `${e.name}: ${e.message}` }; } };
    return {
      // 10 bytes for a 280x280 image, after the weights (363 KB) went through the same buffer.
      short: attempt(() => engine.predict(new Uint8Array(10), 280, 280, 'gray')),
      rgbaAsGray: attempt(() => engine.predict(new Uint8Array(28 * 28 * 4), 28, 29)),
      zeroSide: attempt(() => engine.predict(new Uint8Array(0), 0, 0)),
      blank: attempt(() => engine.predict(new Uint8ClampedArray(280 * 280 * 4), 280, 280)),
    };
  });
  for (const name of ['short', 'rgbaAsGray', 'zeroSide']) {
    assert.match(outcome[name].error ?? '', /EngineError: bad size/, name);
  }
  assert.deepEqual(outcome.blank, { result: { empty: true } });
  await page.closeAll();
});
