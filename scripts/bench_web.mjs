#!/usr/bin/env node
// Benchmarks the built Digit Drawer page (build/wasm/site) in one headless Chromium run:
//   1. cold load: navigation start -> body data-state "ready", a fresh browser context (empty
//      cache) per load; the same for the one-file page from file://; reloads from the service
//      worker's cache; uncached reloads in a live tab;
//   2. wasm latency per step (engine.predict's stepMs, timed inside the module) on real drawn
//      digits at 280x280 and 560x560, a batch figure (wall time of back-to-back predict() calls),
//      and the cost of reading a canvas's pixels back (getImageData), which the page pays per frame;
//   3. the bytes of every asset the page loads, raw and gzip -9, against the page's gzip budget;
//   4. drawing: digits drawn by touch on a tablet-sized page whose CPU is throttled (CDP
//      Emulation.setCPUThrottlingRate) 1, 4 and 8 times: frames per second while a finger is down,
//      long tasks, and the time from lifting the finger to the panels' final answer; with
//      --baseline DIR, the same for another built site (e.g. main's) in the same run;
//   5. with --inside: the same drawing with each "How does it decide?" view open (every panel
//      whose [data-action="inside"] button shows), at each rate: the cost of each prediction with
//      the view open, split into explain() (the core's stepMs, timed inside wasm) and drawing the
//      view (performance.now() around the page's Inside.prototype.update, wrapped in the page),
//      median and p95, live frames and stroke ends apart; and frames per second and long tasks; with
//      --baseline DIR, the same for that site, taking turns;
//   6. with --trace: where the long tasks of sections 4 and 5 spent their time (style, layout,
//      paint, script...), from a performance trace recorded while each digit is drawn.
//
//   node scripts/bench_web.mjs [--runs N] [--loads N] [--drawing-only] [--rates 1,4,8]
//                              [--baseline DIR] [--repeat N] [--inside] [--views L] [--trace]
//                              [--json]
//
// A benchmark, not a test: it fails only when it cannot measure. Needs the site
// (cmake --preset wasm && cmake --build --preset wasm), the native CLI for the stroke library
// (cmake --preset native && cmake --build --preset native) and playwright-core (npm ci).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromiumPath, launchChromium, strokeStyles } from '../tests/web/headless.mjs';
import { siteFiles } from '../wasm/site/precache.mjs';
import { defaultRoot as siteDir, startServer } from '../wasm/site/serve.mjs';
import { fileSizes } from './bench_size.mjs';
import { longTasks, startTaskTrace, sumTasks } from './trace_tasks.mjs';

const kBudgetBytes = 600 * 1024;  // the page's gzip budget (README), 1 KB = 1024 bytes
// 280: what the page gives the models (web/pad.js kModelSide), as `digits bench` does; 560: what
// reading a larger canvas would cost.
const kSides = [280, 560];
const kDrawings = 100;            // distinct drawings the predictions cycle through
// predict() before anything is timed, per side: at least this many calls and this long, so V8
// has swapped its baseline wasm code for the optimised one (it compiles that in the background).
const kWarmupCalls = 100;
const kWarmupMs = 500;
const kReadbackCalls = 500;       // per side and kind of read-back timing (up to 10 ms each at 560)
const kSeed = 20261127;           // drawings are the same on every run

const usage = `usage: node scripts/bench_web.mjs [--runs N] [--loads N] [--drawing-only]
                                  [--rates 1,4,8] [--baseline DIR] [--repeat N] [--inside]
                                  [--views L] [--trace] [--json]

Benchmarks the built page (build/wasm/site) in headless Chromium (${chromiumPath}):
  cold load   navigation start -> body data-state "ready", a fresh browser context per load
  latency     engine.predict() per step (timed inside wasm), median and p95, at 280x280 and
              560x560, on ${kDrawings} drawn digits; plus the batch wall time per call and getImageData
  bytes       every asset the page loads, raw and gzip -9, against the gzip budget of
              600 KB = ${kBudgetBytes.toLocaleString('en-US')} bytes
  drawing     digits drawn by touch on a 768x1024 DPR 2 tablet page, one move per 16 ms, with
              the CPU throttled: frames per second while drawing, long tasks, and lifting the
              finger -> the panels' final answer
  --runs N    predictions per canvas size (default 2000, at least 10)
  --loads N   cold loads (default 10)
  --drawing-only   only the drawing figures
  --rates L   CPU throttling rates for the drawing figures (default 1,4,8; each 1 to 20)
  --baseline DIR   also measure the drawing on another built site (e.g. a build of main), in the
              same run, taking turns at each rate
  --repeat N  drawing runs per site and rate (default 1), taking turns, pooled
  --inside    also draw with each "How does it decide?" view open, at each rate: explain() and
              the view's drawing per prediction (median, p95), fps and long tasks; with
              --baseline, that site's too, taking turns
  --views L   --inside, with only these views (model ids, say forest,lenet)
  --trace     record a performance trace while each digit is drawn and say where the tasks over
              50 ms on the page's main thread spent their time (scripts/trace_tasks.mjs)
  --json      print one JSON object instead of tables
`;

function parseArguments(argv) {
  const options = { runs: 2000, loads: 10, json: false, drawingOnly: false, rates: [1, 4, 8],
                    baseline: undefined, repeat: 1, inside: false, views: null, trace: false };
  const limits = { runs: [10, 10_000_000], loads: [1, 1000], repeat: [1, 100] };
  for (let i = 0; i < argv.length; ++i) {
    const [flag, inlineValue] = argv[i].split(/=(.*)/s);
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(usage);
      process.exit(0);
    } else if (flag === '--json') {
      options.json = true;
    } else if (flag === '--inside') {
      options.inside = true;
    } else if (flag === '--trace') {
      options.trace = true;
    } else if (flag === '--views') {
      const value = inlineValue ?? argv[++i] ?? '';
      if (!/^[a-z0-9_-]+(,[a-z0-9_-]+)*$/.test(value)) {
        throw new Error(`--views needs model ids separated by commas (say forest,lenet), got '${value}'.`);
      }
      options.views = value.split(',');
      options.inside = true;
    } else if (flag === '--drawing-only') {
      options.drawingOnly = true;
    } else if (flag === '--rates') {
      const value = inlineValue ?? argv[++i] ?? '';
      const rates = value.split(',').map(Number);
      if (!/^\d+(,\d+)*$/.test(value) || rates.some((r) => r < 1 || r > 20)) {
        throw new Error(`--rates needs whole numbers from 1 to 20, separated by commas, got '${value}'.`);
      }
      options.rates = rates;
    } else if (flag === '--baseline') {
      options.baseline = inlineValue ?? argv[++i];
      if (!options.baseline) throw new Error('--baseline needs the folder of a built site.');
    } else if (flag === '--runs' || flag === '--loads' || flag === '--repeat') {
      const name = flag.slice(2);
      const value = inlineValue ?? argv[++i];
      const [lo, hi] = limits[name];
      if (!/^\d+$/.test(value ?? '') || Number(value) < lo || Number(value) > hi) {
        throw new Error(`${flag} needs a whole number from ${lo} to ${hi}, got '${value ?? ''}'.`);
      }
      options[name] = Number(value);
    } else {
      throw new Error(`unknown argument '${argv[i]}'.`);
    }
  }
  return options;
}

// Same definitions as `digits bench`: the element at n/2 and at n*95/100 of the sorted values.
function summarise(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return { medianMs: sorted[Math.floor(n / 2)],
           p95Ms: sorted[Math.min(n - 1, Math.floor(n * 95 / 100))] };
}

// Runs in the page before its own scripts: records performance.now() (milliseconds since
// navigation start) when body's data-state first becomes "ready" or "error", so the figure does
// not depend on how often Playwright polls.
function recordReadyInPage() {
  const mark = { state: undefined, at: undefined };
  window.__benchWeb = mark;
  new MutationObserver(() => {
    const state = document.body?.dataset.state;
    if (mark.state === undefined && (state === 'ready' || state === 'error')) {
      mark.at = performance.now();
      mark.state = state;
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

// Waits for recordReadyInPage to see "ready" or "error".
async function waitUntilSettled(page) {
  try {
    await page.waitForFunction(() => window.__benchWeb.state !== undefined, null, { timeout: 30_000 });
  } catch {
    const state = await page.evaluate(() => document.body?.dataset.state).catch(() => undefined);
    throw new Error(`the page was still '${state}' 30 s after navigation: open it in a browser ` +
                    `(node wasm/site/serve.mjs) and look at the console.`);
  }
}

// One cold load in a fresh context. Returns { readyMs, milestones: {htmlMs, domContentLoadedMs,
// lastAssetMs}, requests: Map(pathname -> count) }, all times since navigation start.
async function coldLoad(browser, url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const requests = new Map();
    const failures = [];
    page.on('response', (response) => {
      const { protocol, pathname } = new URL(response.url());
      if (protocol !== 'http:') return;
      if (response.status() !== 200) failures.push(`${pathname} (${response.status()})`);
      requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
    });
    await page.addInitScript(recordReadyInPage);
    await page.goto(url, { waitUntil: 'load' });
    await waitUntilSettled(page);
    // Milestones that explain the ready time: the HTML received, DOMContentLoaded (the module
    // graph ran), and the last byte of any asset (the weights, usually).
    const mark = await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType('navigation');
      return {
        ...window.__benchWeb,
        message: document.getElementById('error-message')?.textContent,
        milestones: {
          htmlMs: navigation.responseEnd,
          domContentLoadedMs: navigation.domContentLoadedEventEnd,
          lastAssetMs: Math.max(...performance.getEntriesByType('resource').map((e) => e.responseEnd)),
        },
      };
    });
    if (mark.state !== 'ready') {
      throw new Error(`the page showed an error instead of becoming ready: ${mark.message}`);
    }
    if (failures.length) {
      throw new Error(`the server did not answer 200 for ${failures.join(', ')}: rebuild the site.`);
    }
    await page.close();
    return { readyMs: mark.at, milestones: mark.milestones, requests };
  } finally {
    await context.close();
  }
}

// Runs in the page (serialised by Playwright, so it uses nothing from this file). Draws the
// drawings, then times predict() and getImageData per canvas side. Returns raw per-call numbers.
async function measureInPage({ styles, sides, runs, readbackCalls, warmupCalls, warmupMs, drawingCount,
                               seed }) {
  const { createEngine } = await import('./engine.js');
  // The pad's own drawing code, so the test digits are drawn exactly as a finger's would be.
  const { drawStrokes: redraw, kBrushShare: brushShare } = await import('./pad.js');
  const engine = await createEngine();

  // mulberry32: small, seedable, good enough for placing digits.
  let seedState = seed >>> 0;
  const random = () => {
    seedState = (seedState + 0x6d2b79f5) >>> 0;
    let t = seedState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const uniform = (lo, hi) => lo + (hi - lo) * random();

  // Drawings in pad units (0..1 of the side, y down), so both sides get the same digits: a style
  // (the library in a shuffled order), its height 25-90 % of the side as in `digits drawn`, shrunk
  // to fit with the brush inside the canvas, at a random place.
  const order = styles.map((_, i) => i);
  for (let i = order.length - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const margin = brushShare / 2 + 0.01;
  const room = 1 - 2 * margin;
  const drawings = Array.from({ length: drawingCount }, (_, k) => {
    const style = styles[order[k % order.length]];
    const xs = style.strokes.flat().map((p) => p[0]);
    const ys = style.strokes.flat().map((p) => p[1]);
    const minX = Math.min(...xs), minY = Math.min(...ys);
    const width = Math.max(Math.max(...xs) - minX, 1e-6);
    const height = Math.max(Math.max(...ys) - minY, 1e-6);
    const scale = Math.min(uniform(0.25, 0.9) / height, room / height, room / width);
    const left = margin + random() * (room - width * scale);
    const top = margin + random() * (room - height * scale);
    const strokes = style.strokes.map((s) => s.map(([x, y]) => [left + (x - minX) * scale,
                                                                top + (y - minY) * scale]));
    return { label: style.label, strokes };
  });

  // The smallest step performance.now() takes (5 us when cross-origin isolated, 100 us if not).
  let tick = Infinity;
  for (let changes = 0, last = performance.now(); changes < 200;) {
    const now = performance.now();
    if (now !== last) tick = Math.min(tick, now - last), last = now, ++changes;
  }

  const results = {};
  for (const side of sides) {
    // A detached canvas read the way the pad reads its own (willReadFrequently: CPU-backed).
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const pixels = drawings.map((d) => {
      redraw(ctx, side, d.strokes);
      return ctx.getImageData(0, 0, side, side).data;
    });

    // What the page pays per frame besides predict(): reading the pixels back alone (canvas
    // unchanged), and redrawing the strokes then reading (the pad's redraw + pixels()). For
    // scale, copying the same bytes into a new buffer: getImageData allocates one per call, and
    // fresh memory costs what the machine's page faults cost.
    const readMs = [], redrawReadMs = [], freshCopyMs = [];
    for (let i = 0; i < readbackCalls; ++i) {
      const t0 = performance.now();
      ctx.getImageData(0, 0, side, side);
      readMs.push(performance.now() - t0);
    }
    for (let i = 0; i < readbackCalls; ++i) {
      const t0 = performance.now();
      redraw(ctx, side, drawings[i % drawingCount].strokes);
      ctx.getImageData(0, 0, side, side);
      redrawReadMs.push(performance.now() - t0);
    }
    for (let i = 0; i < readbackCalls; ++i) {
      const t0 = performance.now();
      new Uint8ClampedArray(pixels[i % drawingCount]);
      freshCopyMs.push(performance.now() - t0);
    }

    let warmup = 0;
    const warmupStart = performance.now();
    while (warmup < warmupCalls || performance.now() - warmupStart < warmupMs) {
      engine.predict(pixels[warmup++ % drawingCount], side, side);
    }

    // Step names as engine.predict's stepMs gives them: preprocess, then each model's id.
    const steps = Object.fromEntries(['preprocess', ...engine.models.map((m) => m.id)]
      .map((name) => [name, []]));
    const agree = Object.fromEntries(engine.models.map((m) => [m.id, 0]));
    for (let i = 0; i < runs; ++i) {
      const k = i % drawingCount;
      const result = engine.predict(pixels[k], side, side);
      if (result.empty) throw new Error(`drawing ${k} at ${side}x${side} came out empty`);
      for (const name in steps) steps[name].push(result.stepMs[name]);
      if (i < drawingCount) {
        for (const m of result.models) if (m.prediction === drawings[k].label) ++agree[m.id];
      }
    }

    // Back-to-back calls: the wall time per call is not limited by the timer's resolution, and
    // includes the JavaScript around the module (copying the pixels in, the results out).
    let wasmMs = 0;
    const t0 = performance.now();
    for (let i = 0; i < runs; ++i) {
      const { stepMs } = engine.predict(pixels[i % drawingCount], side, side);
      for (const name in steps) wasmMs += stepMs[name];
    }
    const batchWallMs = performance.now() - t0;

    results[side] = { warmup, steps, agree, agreeOf: Math.min(runs, drawingCount), batchWallMs,
                      batchWasmMs: wasmMs, readMs, redrawReadMs, freshCopyMs };
  }
  return { crossOriginIsolated: self.crossOriginIsolated, tickMs: tick, results };
}

// Bytes of each requested file: raw from the site folder and gzip -9.
function assetSizes(requestCounts) {
  const files = [...requestCounts].map(([pathname, requests]) => {
    const relative = decodeURIComponent(pathname).replace(/^\//, '').replace(/(^|\/)$/, '$1index.html');
    const { bytes, gzipBytes } = fileSizes(siteDir, relative);
    return { path: relative, requests, bytes, gzipBytes };
  }).sort((a, b) => a.path.localeCompare(b.path));
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const totalGzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  const requested = new Set(files.map((f) => f.path));
  const notRequested = siteFiles(siteDir).filter((f) => !requested.has(f));
  return { files, totalBytes, totalGzipBytes, budgetBytes: kBudgetBytes,
           withinBudget: totalGzipBytes <= kBudgetBytes, notRequested };
}

// ---- 4. Drawing by touch on a tablet whose CPU is throttled ----

// A tablet in portrait, as the page tests' touch device. No service worker, so that an older
// build served beside this one (--baseline) runs the same way.
const kTablet = { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true,
                  isMobile: true, serviceWorkers: 'block' };
const kMoveMs = 16;             // one touch move per 60 Hz frame, as a finger reports them
const kPointSpacing = 10;       // CSS px between moves (~600 px/s): the page tests' quick stroke
const kStrokePauseMs = 250;     // finger up between two strokes of a digit
const kDigitPauseMs = 700;      // after a digit's last stroke, before its figures are read
// Hand-made styles of the stroke library: loops, corners and two-stroke digits.
const kDrawnStyles = ['hand: 2 with a loop', 'hand: 4 open top', 'hand: 5 two strokes',
                      'hand: 8 two circles', 'hand: 9 loop then separate stem'];
// Where each digit goes on the pad (shares of its side): large, as children draw on a tablet.
const kDrawPlacement = { x: 0.15, y: 0.1, size: 0.75 };

// Runs in the page once it is ready: records every animation frame, long task (over 50 ms),
// touch start and end (their event time stamps: when the finger moved, not when the page got
// to it) and every change of a panel's data-prediction or data-confidence. take() hands over
// and forgets what was recorded.
function instrumentDrawing() {
  const fresh = () => ({ frames: [], longTasks: [], starts: [], ends: [], panelUpdates: [], views: [] });
  let m = fresh();
  window.__benchDrawing = { take: () => { const taken = m; m = fresh(); return taken; },
                            view: (v) => m.views.push(v) };
  const frame = (t) => { m.frames.push(t); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) m.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask' });
  addEventListener('touchstart', (e) => m.starts.push(e.timeStamp), { capture: true, passive: true });
  addEventListener('touchend', (e) => m.ends.push(e.timeStamp), { capture: true, passive: true });
  new MutationObserver(() => m.panelUpdates.push(performance.now())).observe(
    document.getElementById('models'),
    { subtree: true, attributes: true, attributeFilter: ['data-prediction', 'data-confidence'] });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

// A style's strokes in page coordinates on the pad's box, resampled every kPointSpacing CSS px.
function touchPaths(box, strokes) {
  const { x, y, size } = kDrawPlacement;
  const toPage = ([u, v]) => [box.x + (x + u * size) * box.width, box.y + (y + v * size) * box.height];
  return strokes.map((stroke) => {
    const points = stroke.map(toPage);
    const dense = [points[0]];
    for (let i = 1; i < points.length; ++i) {
      const [ax, ay] = points[i - 1];
      const [bx, by] = points[i];
      const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / kPointSpacing));
      for (let s = 1; s <= steps; ++s) dense.push([ax + (bx - ax) * s / steps, ay + (by - ay) * s / steps]);
    }
    return dense;
  });
}

// One touch stroke through the browser's input pipeline (CDP Input.dispatchTouchEvent), one move
// every kMoveMs by the clock. The moves are not held back while the page is busy (a finger does
// not wait): a slow page gets them late and coalesced, as on a tablet.
async function timedTouchStroke(cdp, points) {
  const at = ([x, y]) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
  const send = (type, touchPoints) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
  const sent = [send('touchStart', at(points[0]))];
  const t0 = performance.now();
  for (let i = 1; i < points.length; ++i) {
    await sleep(t0 + i * kMoveMs - performance.now());
    sent.push(send('touchMove', at(points[i])));
  }
  await sleep(t0 + points.length * kMoveMs - performance.now());
  sent.push(send('touchEnd', []));
  await Promise.all(sent);
}

async function drawDigit(page, cdp, strokes) {
  const box = await page.locator('#pad').boundingBox();
  for (const [i, points] of touchPaths(box, strokes).entries()) {
    if (i) await sleep(kStrokePauseMs);
    await timedTouchStroke(cdp, points);
  }
  await sleep(kDigitPauseMs);
}

// Per digit, from what instrumentDrawing recorded while it was drawn: each stroke's time (first
// touch to last, by the events' time stamps) and the animation frames in it; the time from each
// touchend to the panels' last update before the next stroke (the final answer); the long tasks.
function digitFigures(record, strokeCount) {
  const { frames, longTasks, starts, ends, panelUpdates } = record;
  if (starts.length !== strokeCount || ends.length !== strokeCount) {
    throw new Error(`the page saw ${starts.length} touchstart and ${ends.length} touchend events ` +
                    `for ${strokeCount} strokes`);
  }
  const strokes = starts.map((start, i) => {
    const end = ends[i];
    const next = starts[i + 1] ?? Infinity;
    const updates = panelUpdates.filter((t) => t > end && t < next);
    // No change at all: the final answer was the last live one, to the panels' rounding (seen
    // with a view open); its delay is then unknown, and left out.
    return { ms: end - start, frames: frames.filter((t) => t >= start && t <= end).length,
             finalAnswerMs: updates.length ? updates.at(-1) - end : null };
  });
  // The longest gap between two animation frames while a finger was down.
  let longestFrameMs = 0;
  for (let i = 1; i < frames.length; ++i) {
    if (starts.some((s, k) => frames[i - 1] >= s && frames[i] <= ends[k])) {
      longestFrameMs = Math.max(longestFrameMs, frames[i] - frames[i - 1]);
    }
  }
  const first = starts[0], last = panelUpdates.at(-1);
  const tasks = longTasks.filter((t) => t.start + t.duration >= first && t.start <= last);
  return { strokes, longestFrameMs, longTasksMs: tasks.map((t) => t.duration) };
}

// Draws the styles by touch on a fresh tablet page of `url`, CPU throttled `rate` times, after
// one warm-up digit unthrottled (so the code is compiled). Clear between digits, unthrottled.
async function drawingRun(browser, url, rate, styles, { inside = null, trace = false } = {}) {
  const context = await browser.newContext(kTablet);
  try {
    const page = await context.newPage();
    await page.goto(url);
    await waitUntilReady(page);
    if (inside) await openInside(page, inside);
    const cdp = await context.newCDPSession(page);
    await drawDigit(page, cdp, styles[0].strokes);
    await page.evaluate(instrumentDrawing);
    const digits = [];
    for (const style of styles) {
      // A finger, as a child clears it (forced: an empty pad's Clear is aria-disabled).
      await page.tap('[data-action="clear"]', { force: true });
      await sleep(100);
      await page.evaluate(() => window.__benchDrawing.take());
      const stopTrace = trace ? await startTaskTrace(browser, page) : null;
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      await drawDigit(page, cdp, style.strokes);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      const traced = stopTrace ? longTasks(await stopTrace()) : null;
      const record = await page.evaluate(() => window.__benchDrawing.take());
      const read = await page.evaluate(() => document.querySelector('[data-model="lenet"]')?.dataset.prediction);
      digits.push({ style: style.source, label: style.label, read, views: record.views,
                    ...digitFigures(record, style.strokes.length), ...(traced ? { traced } : {}) });
    }
    return digits;
  } finally {
    await context.close();
  }
}

async function waitUntilReady(page) {
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 30_000 });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'ready') throw new Error(`the page became '${state}' instead of ready`);
}

// Sums a run's digits: frames per second while a finger was down (animation frames / stroke
// time), the longest frame, long tasks (count, per digit, longest) and the final answer's delay.
function summariseDrawing(digits) {
  const strokes = digits.flatMap((d) => d.strokes);
  const strokeMs = strokes.reduce((sum, s) => sum + s.ms, 0);
  const frames = strokes.reduce((sum, s) => sum + s.frames, 0);
  const tasks = digits.flatMap((d) => d.longTasksMs);
  const finals = strokes.map((s) => s.finalAnswerMs).filter((ms) => ms !== null);
  return {
    digits: digits.length, strokes: strokes.length, strokeMs, frames, fps: frames / (strokeMs / 1000),
    slowestStrokeFps: Math.min(...strokes.map((s) => s.frames / (s.ms / 1000))),
    longestFrameMs: Math.max(...digits.map((d) => d.longestFrameMs)),
    longTasks: { count: tasks.length, perDigit: tasks.length / digits.length,
                 maxMs: tasks.length ? Math.max(...tasks) : 0 },
    finalAnswerMs: { ...summarise(finals), maxMs: Math.max(...finals), each: finals,
                     unchanged: strokes.length - finals.length },
    lenetRight: digits.filter((d) => d.read === String(d.label)).length,
    ...(digits[0]?.traced ? { traced: sumTasks(digits.flatMap((d) => d.traced)) } : {}),
  };
}

// This build and (if given) the baseline, by name and URL.
function sitesOf(url, baselineUrl) {
  return [['this build', url], ...(baselineUrl ? [['baseline', baselineUrl]] : [])];
}

// Runs draw(siteUrl) for each site in turn, `repeat` times, so that all of them see the same
// load on the machine; each site's digits pooled, with the load average at each run's start.
async function takeTurns(sites, repeat, draw) {
  const pooled = sites.map(([site]) => ({ site, loadAverages1min: [], digits: [] }));
  for (let i = 0; i < repeat; ++i) {
    for (const [k, [, siteUrl]] of sites.entries()) {
      pooled[k].loadAverages1min.push(os.loadavg()[0]);
      pooled[k].digits.push(...await draw(siteUrl));
    }
  }
  return pooled;
}

// Section 4: for each rate, this build and (if given) the baseline taking turns, --repeat times
// each, so both see the same load on the machine; each one's digits pooled.
async function measureDrawing(browser, url, baselineUrl, allStyles, options) {
  const styles = kDrawnStyles.map((source) => {
    const style = allStyles.find((s) => s.source === source);
    if (!style) throw new Error(`the stroke library has no style '${source}'`);
    return style;
  });
  const runs = [];
  for (const rate of options.rates) {
    const pooled = await takeTurns(sitesOf(url, baselineUrl), options.repeat,
                                   (siteUrl) => drawingRun(browser, siteUrl, rate, styles, { trace: options.trace }));
    for (const { site, loadAverages1min, digits } of pooled) {
      runs.push({ site, rate, repeats: options.repeat, loadAverages1min,
                  ...summariseDrawing(digits), digitsDrawn: digits });
    }
  }
  return { tablet: kTablet, moveMs: kMoveMs, pointSpacingCssPx: kPointSpacing,
           styles: kDrawnStyles, baseline: options.baseline ?? null, runs };
}

// ---- 5. Drawing with a "How does it decide?" view open ----

// Runs in the page: wraps the page's own Inside.prototype.update (web/inside.js, the same module
// instance as the page's: one per URL) so that each prediction shown in the open view reports
// explain()'s time inside wasm (its stepMs, summed) and the time the view took to draw it.
async function timeInsideInPage() {
  const { Inside } = await import(new URL('inside.js', document.baseURI).href);
  const update = Inside.prototype.update;
  Inside.prototype.update = function timedUpdate(result, final) {
    const start = performance.now();
    update.call(this, result, final);
    const drawMs = performance.now() - start;
    const explainMs = result.stepMs ? Object.values(result.stepMs).reduce((a, b) => a + b, 0) : 0;
    window.__benchDrawing?.view({ final, explainMs, drawMs, empty: Boolean(result.empty) });
  };
}

// The ids of the models whose panel shows a "How does it decide?" button.
function modelsWithInside(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-model]')]
    .filter((panel) => { const b = panel.querySelector('[data-action="inside"]'); return b && !b.hidden; })
    .map((panel) => panel.dataset.model));
}

async function openInside(page, id) {
  await page.evaluate(timeInsideInPage);
  await page.click(`[data-model="${id}"] [data-action="inside"]`);
  await page.waitForSelector(`[data-inside="${id}"]`, { state: 'visible' });
}

// Section 5: for each view and each rate, --repeat runs of the drawing with that view open, this
// build and (if given) the baseline taking turns, each one's digits pooled (as section 4).
async function measureInside(browser, url, baselineUrl, allStyles, options) {
  const styles = kDrawnStyles.map((source) => allStyles.find((s) => s.source === source));
  const context = await browser.newContext(kTablet);
  const page = await context.newPage();
  await page.goto(url);
  await waitUntilReady(page);
  const available = await modelsWithInside(page);
  await context.close();
  const unknown = (options.views ?? []).filter((v) => !available.includes(v));
  if (unknown.length) {
    throw new Error(`--views ${unknown.join(',')}: no such view (the page has ${available.join(', ')}).`);
  }
  const views = options.views ?? available;
  const runs = [];
  for (const view of views) {
    for (const rate of options.rates) {
      const pooled = await takeTurns(sitesOf(url, baselineUrl), options.repeat,
                                     (siteUrl) => drawingRun(browser, siteUrl, rate, styles,
                                                             { inside: view, trace: options.trace }));
      for (const { site, loadAverages1min, digits } of pooled) {
        const shown = digits.flatMap((d) => d.views).filter((v) => !v.empty);
        const cost = (list) => ({
          count: list.length,
          explainMs: summarise(list.map((v) => v.explainMs)),
          drawMs: summarise(list.map((v) => v.drawMs)),
          totalMs: { ...summarise(list.map((v) => v.explainMs + v.drawMs)),
                     maxMs: Math.max(...list.map((v) => v.explainMs + v.drawMs)) },
        });
        runs.push({ site, view, rate, repeats: options.repeat, loadAverages1min, ...summariseDrawing(digits),
                    live: cost(shown.filter((v) => !v.final)), final: cost(shown.filter((v) => v.final)) });
      }
    }
  }
  return { views, baseline: baselineUrl ? options.baseline : null, runs };
}

async function run(options) {
  if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
    throw new Error(`${path.relative(process.cwd(), siteDir) || siteDir} is missing: build the site first ` +
                    `(cmake --preset wasm && cmake --build --preset wasm).`);
  }
  const styles = strokeStyles();

  if (options.baseline && !fs.existsSync(path.join(options.baseline, 'index.html'))) {
    throw new Error(`--baseline ${options.baseline} holds no built site (no index.html).`);
  }

  // The machine's load before starting: other work on the cores shows up in every figure.
  const loadAverage = os.loadavg()[0];
  const server = await startServer({ root: siteDir, port: 0 });
  const baselineServer = options.baseline ?
    await startServer({ root: path.resolve(options.baseline), port: 0 }) : null;
  let browser;
  try {
    browser = await launchChromium();
    return {
      chromium: browser.version(),
      playwrightCore: createRequire(import.meta.url)('playwright-core/package.json').version,
      cpus: os.cpus().length,
      loadAverage1min: loadAverage,
      ...(options.drawingOnly ? {} : await measureLoadsAndPredictions(browser, server, styles, options)),
      drawing: await measureDrawing(browser, server.url, baselineServer?.url, styles, options),
      ...(options.inside ? { inside: await measureInside(browser, server.url, baselineServer?.url, styles, options) } : {}),
    };
  } finally {
    await browser?.close();
    await server.close();
    await baselineServer?.close();
  }
}

// Sections 1-3: loads, predict() latency and the bytes, on this build only.
async function measureLoadsAndPredictions(browser, server, styles, options) {
  const readyMs = [];
  const milestones = { htmlMs: [], domContentLoadedMs: [], lastAssetMs: [] };
  const requestCounts = new Map();  // pathname -> most requests of it in one load
  for (let i = 0; i < options.loads; ++i) {
    const load = await coldLoad(browser, server.url);
    readyMs.push(load.readyMs);
    for (const name in milestones) milestones[name].push(load.milestones[name]);
    for (const [p, n] of load.requests) requestCounts.set(p, Math.max(n, requestCounts.get(p) ?? 0));
  }
  // The floor under those figures: the same cold load of a page with one stylesheet and one
  // module script that sets data-state="ready" straight away, measured in the same run.
  const floorReadyMs = [];
  const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-web-floor-'));
  fs.writeFileSync(path.join(floorDir, 'index.html'), '<!doctype html><html><head>' +
    '<link rel="stylesheet" href="a.css"><script type="module" src="a.js"></script></head>' +
    '<body data-state="loading"><p>floor</p></body></html>');
  fs.writeFileSync(path.join(floorDir, 'a.css'), 'p { color: #333; }');
  fs.writeFileSync(path.join(floorDir, 'a.js'), 'document.body.dataset.state = "ready";');
  fs.writeFileSync(path.join(floorDir, 'favicon.ico'), '');
  const floorServer = await startServer({ root: floorDir, port: 0 });
  try {
    for (let i = 0; i < options.loads; ++i) {
      floorReadyMs.push((await coldLoad(browser, floorServer.url)).readyMs);
    }
  } finally {
    await floorServer.close();
    fs.rmSync(floorDir, { recursive: true, force: true });
  }

  // The one-file page (digit-drawer.html) from file://, the same cold load.
  const oneFileReadyMs = [];
  for (let i = 0; i < options.loads; ++i) {
    oneFileReadyMs.push((await coldLoad(browser, pathToFileURL(path.join(siteDir, 'digit-drawer.html')).href)).readyMs);
  }

  // Reloads with the site in the service worker's cache (a return visit, or offline).
  const savedReadyMs = [];
  {
    const savedContext = await browser.newContext();
    const savedPage = await savedContext.newPage();
    await savedPage.addInitScript(recordReadyInPage);
    await savedPage.goto(server.url);
    await waitUntilSettled(savedPage);
    await savedPage.waitForFunction(() => document.body.dataset.offline === 'ready', null,
                                    { timeout: 30_000 });
    for (let i = 0; i < options.loads; ++i) {
      await savedPage.reload();
      await waitUntilSettled(savedPage);
      savedReadyMs.push(await savedPage.evaluate(() => window.__benchWeb.at));
    }
    await savedContext.close();
  }

  // No service worker here: the reloads below must download every byte.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript(recordReadyInPage);
  await page.goto(server.url);
  await waitUntilSettled(page);
  // Uncached reloads in a live tab: every byte downloaded and every module compiled again, but
  // no new browser context or renderer process (which a fresh context's figure includes).
  const reloadReadyMs = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  for (let i = 0; i < options.loads; ++i) {
    await page.reload();
    await waitUntilSettled(page);
    reloadReadyMs.push(await page.evaluate(() => window.__benchWeb.at));
  }
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  const measured = await page.evaluate(measureInPage, {
    styles, sides: kSides, runs: options.runs, readbackCalls: kReadbackCalls, warmupCalls: kWarmupCalls,
    warmupMs: kWarmupMs, drawingCount: kDrawings, seed: kSeed,
  });
  await context.close();

  const sides = {};
  for (const side of kSides) {
    const r = measured.results[side];
    const total = r.steps.preprocess.map((_, i) =>
      Object.values(r.steps).reduce((sum, values) => sum + values[i], 0));
    sides[side] = {
      warmupCalls: r.warmup,
      steps: Object.fromEntries([...Object.entries(r.steps), ['total', total]]
        .map(([name, values]) => [name, summarise(values)])),
      batch: { calls: options.runs, wallMsPerCall: r.batchWallMs / options.runs,
               wasmMsPerCall: r.batchWasmMs / options.runs },
      getImageData: summarise(r.readMs),
      redrawAndGetImageData: summarise(r.redrawReadMs),
      freshBufferCopy: summarise(r.freshCopyMs),
      agreeWithLabel: { ...r.agree, of: r.agreeOf },
    };
  }
  const sortedReady = [...readyMs].sort((a, b) => a - b);
  return {
    crossOriginIsolated: measured.crossOriginIsolated,
    timerTickMs: measured.tickMs,
    coldLoad: { loads: options.loads, readyMs, medianMs: summarise(readyMs).medianMs,
                minMs: sortedReady[0], maxMs: sortedReady.at(-1),
                medianMilestonesMs: Object.fromEntries(Object.entries(milestones)
                  .map(([name, values]) => [name, summarise(values).medianMs])) },
    floorColdLoad: { loads: options.loads, readyMs: floorReadyMs,
                     medianMs: summarise(floorReadyMs).medianMs },
    oneFileColdLoad: { loads: options.loads, readyMs: oneFileReadyMs,
                       medianMs: summarise(oneFileReadyMs).medianMs,
                       minMs: Math.min(...oneFileReadyMs), maxMs: Math.max(...oneFileReadyMs) },
    serviceWorkerReload: { loads: options.loads, readyMs: savedReadyMs,
                           medianMs: summarise(savedReadyMs).medianMs,
                           minMs: Math.min(...savedReadyMs), maxMs: Math.max(...savedReadyMs) },
    uncachedReload: { loads: options.loads, readyMs: reloadReadyMs,
                      medianMs: summarise(reloadReadyMs).medianMs,
                      minMs: Math.min(...reloadReadyMs), maxMs: Math.max(...reloadReadyMs) },
    predict: { runsPerSide: options.runs, readbackCalls: kReadbackCalls, drawings: kDrawings, sides },
    assets: assetSizes(requestCounts),
  };
}

const ms = (v, digits = 4) => v.toFixed(digits);
const bytes = (n) => n.toLocaleString('en-US');

function printTables(report) {
  const out = [];
  const row = (cells, widths) => out.push(cells.map((c, i) =>
    i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])).join(' ').trimEnd());

  out.push(`Digit Drawer page benchmark — Chromium ${report.chromium} (headless, playwright-core ` +
           `${report.playwrightCore}), ${report.cpus} CPUs, 1-min load average ` +
           `${report.loadAverage1min.toFixed(2)} at start`);
  if (report.coldLoad) printLoadsAndPredictions(report, out, row);
  printDrawing(report.drawing, out, row);
  if (report.inside) printInside(report.inside, out, row);
  if (report.drawing.runs[0]?.traced) printTraced(report, out);
  process.stdout.write(out.join('\n') + '\n');
}

function printLoadsAndPredictions(report, out, row) {
  out.push(`crossOriginIsolated: ${report.crossOriginIsolated}; smallest performance.now() step seen: ` +
           `${(report.timerTickMs * 1000).toFixed(1)} us`);

  const c = report.coldLoad;
  out.push('', 'Cold load: navigation start -> data-state "ready", fresh context each ' +
           `(${c.loads} load${c.loads === 1 ? '' : 's'})`);
  out.push(`  median ${ms(c.medianMs, 1)} ms   min ${ms(c.minMs, 1)} ms   max ${ms(c.maxMs, 1)} ms`);
  out.push(`  each: ${c.readyMs.map((v) => v.toFixed(1)).join(' ')}`);
  const m = c.medianMilestonesMs;
  out.push(`  median milestones: HTML received ${ms(m.htmlMs, 1)} ms, DOMContentLoaded ` +
           `${ms(m.domContentLoadedMs, 1)} ms, last asset byte ${ms(m.lastAssetMs, 1)} ms`);
  out.push(`  floor, the same for a page of one stylesheet and one script: median ` +
           `${ms(report.floorColdLoad.medianMs, 1)} ms`);
  const u = report.uncachedReload;
  out.push('', 'Uncached reload in a live tab (cache disabled): navigation start -> "ready" ' +
           `(${u.loads} loads)`);
  out.push(`  median ${ms(u.medianMs, 1)} ms   min ${ms(u.minMs, 1)} ms   max ${ms(u.maxMs, 1)} ms`);
  for (const [title, r] of [
    ['The one-file page digit-drawer.html from file://, fresh context each', report.oneFileColdLoad],
    ['Reload with the site in the service worker\'s cache (a return visit, or offline)',
     report.serviceWorkerReload]]) {
    out.push('', `${title} (${r.loads} loads)`);
    out.push(`  median ${ms(r.medianMs, 1)} ms   min ${ms(r.minMs, 1)} ms   max ${ms(r.maxMs, 1)} ms`);
  }

  const p = report.predict;
  out.push('', `engine.predict(), stepMs timed inside wasm: ${bytes(p.runsPerSide)} calls per size, ` +
           `cycling through ${p.drawings} drawn digits, after ` +
           kSides.map((s) => `${p.sides[s].warmupCalls} (${s})`).join(' / ') +
           ` warm-up calls (at least ${kWarmupCalls} and ${kWarmupMs} ms)`);
  const widths = [11, 12, 10, 12, 10];
  row(['', ...kSides.flatMap((s) => [`${s} median`, `${s} p95`])], widths);
  for (const name of Object.keys(p.sides[kSides[0]].steps)) {  // preprocess, each model, total
    const step = (s) => p.sides[s].steps[name];
    row([name, ...kSides.flatMap((s) => [ms(step(s).medianMs), ms(step(s).p95Ms)])], widths);
  }
  out.push('  (ms; total = the steps summed per call; per-call figures are multiples of the ' +
           'timer step)');
  out.push('', 'Per call, mean of back-to-back loops (ms)');
  const wide = [36, 10, 10];
  row(['', ...kSides.map((s) => `${s}x${s}`)], wide);
  row(['predict() wall time', ...kSides.map((s) => ms(p.sides[s].batch.wallMsPerCall))], wide);
  row(['  of which inside wasm (stepMs sum)', ...kSides.map((s) => ms(p.sides[s].batch.wasmMsPerCall))],
      wide);
  out.push('', `Reading the canvas back, per call (ms, median / p95 of ${p.readbackCalls} calls)`);
  const readRow = (label, key) => row([label, ...kSides.map((s) =>
    `${ms(p.sides[s][key].medianMs, 3)} / ${ms(p.sides[s][key].p95Ms, 3)}`)], [36, 16, 16]);
  readRow('getImageData alone', 'getImageData');
  readRow('redraw strokes + getImageData', 'redrawAndGetImageData');
  readRow('for scale: copy into a new buffer', 'freshBufferCopy');
  out.push('', 'Sanity, predictions equal to the drawn label (one call per drawing): ' +
           kSides.map((s) => {
             const { of, ...agree } = p.sides[s].agreeWithLabel;
             return `${s}: ` + Object.entries(agree).map(([id, n]) => `${id} ${n}/${of}`).join(', ');
           }).join('; '));

  const a = report.assets;
  out.push('', 'Assets the page loads (raw bytes from build/wasm/site, gzip -9 via node:zlib)');
  const assetWidths = [22, 9, 10, 10];
  row(['file', 'requests', 'bytes', 'gzip -9'], assetWidths);
  for (const f of a.files) row([f.path, f.requests, bytes(f.bytes), bytes(f.gzipBytes)], assetWidths);
  row(['total', '', bytes(a.totalBytes), bytes(a.totalGzipBytes)], assetWidths);
  out.push(`Budget: gzip total ${bytes(a.totalGzipBytes)} B ${a.withinBudget ? '<=' : '>'} ` +
           `${bytes(a.budgetBytes)} B (600 KB, 1 KB = 1024 B): ` +
           `${a.withinBudget ? 'within budget' : 'OVER BUDGET'} ` +
           `(${(100 * a.totalGzipBytes / a.budgetBytes).toFixed(1)} %)`);
  if (a.notRequested.length) out.push(`Not requested in headless Chromium: ${a.notRequested.join(', ')}`);
}

function printDrawing(drawing, out, row) {
  const { width, height } = drawing.tablet.viewport;
  const r0 = drawing.runs[0];
  out.push('', `Drawing by touch: ${drawing.styles.length} digits (${r0.strokes / r0.repeats} strokes) ` +
           `on a ${width}x${height} DPR ${drawing.tablet.deviceScaleFactor} page, one move per ` +
           `${drawing.moveMs} ms every ${drawing.pointSpacingCssPx} CSS px, CPU throttled (CDP ` +
           `Emulation.setCPUThrottlingRate); ${r0.repeats} run${r0.repeats === 1 ? '' : 's'} each, pooled`);
  if (drawing.baseline) out.push(`  baseline: ${drawing.baseline}`);
  const widths = [12, 5, 9, 7, 10, 11, 12, 10, 14, 6, 8];
  row(['site', 'CPU', 'load', 'fps', 'slowest', 'longest', 'long tasks', 'longest', 'final answer',
       'max', 'LeNet-5'], widths);
  row(['', 'slow', 'avg', '', 'stroke fps', 'frame ms', 'per digit', 'task ms', 'median ms', 'ms',
       'right'], widths);
  for (const r of drawing.runs) {
    const loads = [Math.min(...r.loadAverages1min), Math.max(...r.loadAverages1min)];
    row([r.site, `${r.rate}x`, [...new Set(loads.map((l) => l.toFixed(1)))].join('-'),
         r.fps.toFixed(1), r.slowestStrokeFps.toFixed(1), r.longestFrameMs.toFixed(0),
         `${r.longTasks.perDigit.toFixed(1)} (${r.longTasks.count})`, r.longTasks.maxMs.toFixed(0),
         r.finalAnswerMs.medianMs.toFixed(1), r.finalAnswerMs.maxMs.toFixed(1),
         `${r.lenetRight}/${r.digits}`], widths);
  }
  out.push('  (fps: animation frames / time a finger was down; long tasks: over 50 ms, from the first ' +
           'touch of a digit to its final answer;', '  final answer: touchend time stamp -> last ' +
           'change of a panel\'s data-prediction / data-confidence, every stroke; load avg: 1 min, ' +
           'at each run\'s start)');
}

function printInside(inside, out, row) {
  out.push('', `With a "How does it decide?" view open: the same drawing (views: ${inside.views.join(', ') || 'none'})`);
  if (!inside.runs.length) return;
  if (inside.baseline) out.push(`  baseline: ${inside.baseline}`);
  const widths = [7, 11, 5, 9, 6, 11, 8, 6, 16, 16, 16, 8];
  row(['view', 'site', 'CPU', 'load', 'fps', 'long tasks', 'longest', 'kind', 'explain ms', 'view draw ms',
       'total ms', 'max'], widths);
  row(['', '', 'slow', 'avg', '', 'per digit', 'task ms', '', 'median / p95', 'median / p95',
       'median / p95', 'ms'], widths);
  for (const r of inside.runs) {
    const loads = [Math.min(...r.loadAverages1min), Math.max(...r.loadAverages1min)];
    const pair = (s) => `${s.medianMs.toFixed(3)} / ${s.p95Ms.toFixed(3)}`;
    for (const kind of ['live', 'final']) {
      const c = r[kind];
      const head = kind === 'live' ? [r.view, r.site, `${r.rate}x`, [...new Set(loads.map((l) => l.toFixed(1)))].join('-'),
        r.fps.toFixed(1), `${r.longTasks.perDigit.toFixed(1)} (${r.longTasks.count})`,
        r.longTasks.maxMs.toFixed(0)] : ['', '', '', '', '', '', ''];
      row([...head, `${kind} ${c.count}`, ...(c.count ? [pair(c.explainMs), pair(c.drawMs), pair(c.totalMs),
           c.totalMs.maxMs.toFixed(2)] : ['-', '-', '-', '-'])], widths);
    }
  }
  out.push('  (explain: the core\'s stepMs summed, inside wasm; view draw: performance.now() around ' +
           'Inside.prototype.update in the page;', '  live: predictions while a finger is down, final: ' +
           'at each stroke\'s end; fps and long tasks as above, with the view open)');
}

// Section --trace: per run, the long tasks' time by kind of work, the events and the script
// functions that took the most of it.
function printTraced(report, out) {
  out.push('', 'Where the long tasks (over 50 ms, main thread) went, from a performance trace per digit ' +
           '(own times; scripts: whole calls)');
  const top = (map, n) => Object.entries(map).sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(', ');
  const runs = [...report.drawing.runs.map((r) => ['no view', r]),
                ...(report.inside?.runs ?? []).map((r) => [r.view, r])];
  for (const [view, r] of runs) {
    const t = r.traced;
    out.push(`  ${view}, ${r.site}, ${r.rate}x: ${t.count} tasks, ${t.totalMs.toFixed(0)} ms` +
             (t.count ? ` (${(t.totalMs / t.count).toFixed(0)} ms each)` : ''));
    if (!t.count) continue;
    const lengths = [[50, 60], [60, 80], [80, 120], [120, Infinity]].map(([lo, hi]) =>
      `${hi === Infinity ? `${lo}+` : `${lo}-${hi}`} ms: ${t.durationsMs.filter((ms) => ms >= lo && ms < hi).length}`);
    out.push(`    lengths: ${lengths.join(', ')}`,
             `    kinds:   ${top(t.byKind, 9)}`, `    events:  ${top(t.byName, 8)}`,
             `    scripts: ${top(t.scripts, 6)}`);
    for (const task of t.longest) {
      out.push(`    a ${task.durationMs.toFixed(0)} ms task: ${top(task.byName, 6)}; ${top(task.scripts, 2) || 'no script'}`);
    }
  }
}

let options;
try {
  options = parseArguments(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench_web: ${error.message}\n${usage}`);
  process.exit(2);
}
try {
  const report = await run(options);
  if (options.json) process.stdout.write(JSON.stringify(report) + '\n');
  else printTables(report);
} catch (error) {
  process.stderr.write(`bench_web: ${error.message}\n`);
  process.exit(1);
}
