// The pad's incremental drawing (web/pad.js) in headless Chromium, with real touch strokes: the
// 280 x 280 pixels it hands to the models (pad.pixels(), whose getImageData buffer app.js passes
// untouched to engine.predict()) must be, byte for byte, those of drawStrokes() drawing the same
// strokes from scratch on a new canvas: mid-stroke (every frame's live report) and at every
// stroke's end, for multi-stroke digits, a dot, a cancelled stroke, after Undo, after Clear, and
// when the pad is resized or the screen's pixel density changes under a finger. The pad on
// screen, drawn piece by piece while a finger moves, must be exactly drawStrokes()'s once the
// stroke has ended, and close to it before.
//
// The pad runs alone on a small test page of the built site's origin (so it is the built
// pad.js), where each of its reports is checked at once, in the page.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { screenshotDir, startBrowserSession, strokePaths, strokeStyles } from './browser.mjs';

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

const kTestPage = 'pad-test.html';
const kTablet = { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true,
                  isMobile: true };

// The test page: a pad as large as the page's, and a check of every report it makes.
const kHarness = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; padding: 40px; }
  #pad { display: block; width: 600px; height: 600px; border: 3px solid #999; touch-action: none; }
</style></head>
<body><canvas id="pad"></canvas>
<script type="module">
import { Pad, drawStrokes, kBrushShare, kModelSide } from './pad.js';

const context = (side, options) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = side;
  return canvas.getContext('2d', options);
};
// drawStrokes() of the pad's strokes from scratch, on a new canvas made as pad.js makes its own.
const fullRedraw = (side, options) => {
  const ctx = context(side, options);
  drawStrokes(ctx, side, pad.strokes);
  return ctx.getImageData(0, 0, side, side).data;
};
const checks = [];

// Chromium's density emulation (CDP Emulation.setDeviceMetricsOverride) changes devicePixelRatio
// and what media queries match, but headless Chromium fires no 'change' event for it; the pad
// listens for one. The harness keeps the media query lists the pad makes, to fire it as a
// browser moving to another screen does.
const mediaLists = [];
const matchMediaOfWindow = window.matchMedia.bind(window);
window.matchMedia = (query) => {
  const list = matchMediaOfWindow(query);
  mediaLists.push(list);
  return list;
};

// The models' pixels against a from-scratch drawStrokes(), byte for byte.
function check(why) {
  const { data, width, height } = pad.pixels();
  const expected = fullRedraw(kModelSide, { willReadFrequently: true });
  let differing = 0, ink = 0;
  for (let i = 0; i < expected.length; ++i) differing += data[i] !== expected[i];
  for (let i = 3; i < expected.length; i += 4) ink += expected[i] > 0;
  checks.push({ why, active: pad.active !== null, strokes: pad.strokes.length,
                points: pad.strokes.at(-1)?.length ?? 0, width, height,
                bytes: data.length, differing, ink });
}

// Every frame counts as slow with ?slow in the address (the pad then drops to one pixel per CSS
// pixel after a stroke), none otherwise (the sides below stay the screen's density's).
const pad = new Pad(document.getElementById('pad'), (final) => check(final ? 'final' : 'live'),
                    { slowFrameMs: location.search.includes('slow') ? -1 : Infinity });

window.padTest = {
  pad, checks, check,
  densityChanged() {
    const changed = mediaLists.filter((list) => !list.matches);
    for (const list of changed) {
      mediaLists.splice(mediaLists.indexOf(list), 1);
      list.dispatchEvent(new MediaQueryListEvent('change', { media: list.media, matches: false }));
    }
    return changed.length;
  },
  // The pad on screen against drawStrokes() at its size: bytes that differ, and ink pixels
  // whose opacity differs by more than a quarter.
  screen() {
    const side = pad.canvas.width;
    const shown = pad.ctx.getImageData(0, 0, side, side).data;
    const expected = fullRedraw(side);
    let differing = 0, ink = 0, far = 0;
    for (let i = 0; i < expected.length; ++i) differing += shown[i] !== expected[i];
    for (let i = 3; i < expected.length; i += 4) {
      ink += expected[i] > 0;
      far += Math.abs(shown[i] - expected[i]) > 64;
    }
    return { side, differing, ink, far };
  },
  // For scale: the same strokes at 280 x 280, but each piece of each stroke drawn on its own
  // (what drawing only the newest piece would give): how many pixels' opacity differs.
  piecewiseDiffers() {
    const ctx = context(kModelSide, { willReadFrequently: true });
    drawStrokes(ctx, kModelSide, []);  // the brush
    for (const stroke of pad.strokes) {
      const p = stroke.map(([x, y]) => [x * kModelSide, y * kModelSide]);
      const mid = (i) => [(p[i][0] + p[i + 1][0]) / 2, (p[i][1] + p[i + 1][1]) / 2];
      let from = p[0];
      for (let i = 1; i < p.length; ++i) {
        ctx.beginPath();
        ctx.moveTo(...from);
        if (i < p.length - 1) ctx.quadraticCurveTo(...p[i], ...(from = mid(i)));
        else ctx.lineTo(...p[i]);
        ctx.stroke();
      }
    }
    const pieces = ctx.getImageData(0, 0, kModelSide, kModelSide).data;
    const whole = fullRedraw(kModelSide, { willReadFrequently: true });
    let differing = 0;
    for (let i = 3; i < whole.length; i += 4) differing += pieces[i] !== whole[i];
    return { differing, lineWidth: kBrushShare * kModelSide };
  },
};
document.body.dataset.state = 'ready';
</script></body></html>`;

async function openHarness({ search = '' } = {}) {
  const context = await session.browser.newContext(kTablet);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  await page.route(`**/${kTestPage}*`, (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', body: kHarness,
  }));
  await page.goto(new URL(kTestPage, session.url).href + search);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 15000 });
  page.cdp = await context.newCDPSession(page);
  page.closeAll = () => context.close();
  return page;
}

// Lets a frame happen, and the tasks queued after it (what the pad reports or draws after a frame
// or a stroke).
function settle(page) {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(
    () => setTimeout(() => setTimeout(resolve)))));
}

// A real touch stroke (CDP Input.dispatchTouchEvent: pointer and touch events, as a finger makes
// them). Every few moves it lets frames happen, so the pad draws and reports mid-stroke;
// `during(i)` runs before move i (e.g. to resize the pad under the finger). `end` 'touchCancel'
// makes the browser take the stroke back (pointercancel).
async function touchStroke(page, points, { during = async () => {}, end = 'touchEnd' } = {}) {
  const at = ([x, y]) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
  const send = (type, touchPoints) => page.cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
  await send('touchStart', at(points[0]));
  for (let i = 1; i < points.length; ++i) {
    await during(i);
    await send('touchMove', at(points[i]));
    if (i % 3 === 0) await settle(page);
  }
  await send(end, []);
  await settle(page);
}

const style = (source) => {
  const found = strokeStyles().find((s) => s.source === source);
  assert.ok(found, `the stroke library has '${source}'`);
  return found;
};

async function drawStyle(page, source, placement, options) {
  for (const points of await strokePaths(page, style(source), placement)) {
    await touchStroke(page, points, options);
    assert.deepEqual(await screenMatches(page), true, `the pad after a stroke of ${source}`);
  }
}

// Once a stroke has ended (and the pad has been drawn again whole), the pad shows exactly
// drawStrokes()'s pixels.
async function screenMatches(page) {
  const shown = await page.evaluate(() => window.padTest.screen());
  return shown.differing === 0 || shown;
}

const takeChecks = (page) => page.evaluate(() => window.padTest.checks.splice(0));

// Every report's pixels were drawStrokes()'s; returns the reports.
async function assertExact(page, what) {
  const checks = await takeChecks(page);
  assert.ok(checks.length > 0, `${what}: the pad reported`);
  for (const c of checks) {
    assert.equal(c.bytes, 280 * 280 * 4, `${what}: 280 x 280 RGBA`);
    assert.equal(c.differing, 0, `${what}: ${c.differing} bytes differ from drawStrokes() ` +
                 `(${c.why}, stroke ${c.strokes}, ${c.points} points, ${c.ink} ink pixels)`);
  }
  return checks;
}

describe('the pad draws only what is new, and the models see what drawStrokes() draws', () => {
  test('multi-stroke digits, mid-stroke and at each stroke end, by touch', async (t) => {
    const page = await openHarness();
    const placement = { x: 0.1, y: 0.1, size: 0.8 };
    await drawStyle(page, 'hand: 4 open top', placement);
    const four = await assertExact(page, '4');
    await drawStyle(page, 'hand: 8 two circles', { x: 0.2, y: 0.15, size: 0.6 });
    const eight = await assertExact(page, '4 and 8 over it');
    const all = [...four, ...eight];
    // Reports from inside later strokes of a digit, over finished ones, and at each end.
    const liveOverFinished = all.filter((c) => c.why === 'live' && c.active && c.strokes >= 2);
    assert.ok(liveOverFinished.length >= 10, `${liveOverFinished.length} live checks over finished strokes`);
    assert.ok(all.filter((c) => c.why === 'final').length >= 4, 'a check at each stroke end');
    assert.ok(Math.max(...all.map((c) => c.ink)) > 2000, 'the checks saw ink');

    // Byte equality means something here: drawn piece by piece, the same strokes' antialiased
    // edges add up where the pieces overlap.
    const piecewise = await page.evaluate(() => window.padTest.piecewiseDiffers());
    t.diagnostic(`${all.length} checks exact; drawn piece by piece, ${piecewise.differing} pixels differ`);
    assert.ok(piecewise.differing > 100, `piecewise drawing differs in ${piecewise.differing} pixels`);
    await page.screenshot({ path: path.join(screenshotDir, 'pad-incremental.png') });
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('while a stroke is drawn, the pad on screen is close to a whole redraw', async (t) => {
    const page = await openHarness();
    const [loop] = await strokePaths(page, style('hand: 2 with a loop'), { x: 0.1, y: 0.1, size: 0.8 });
    const seen = [];
    await touchStroke(page, loop, {
      during: async (i) => {
        if (i % 12 === 0) seen.push(await page.evaluate(() => window.padTest.screen()));
      },
    });
    assert.ok(seen.length >= 3);
    t.diagnostic('mid-stroke, ink pixels far from a whole redraw: ' +
                 seen.map((s) => `${s.far}/${s.ink}`).join(', '));
    for (const s of seen) {
      assert.ok(s.ink > 1000, 'ink on the pad mid-stroke');
      assert.ok(s.far < 0.03 * s.ink, `mid-stroke, ${s.far} of ${s.ink} ink pixels far from a redraw`);
    }
    assert.equal(await screenMatches(page), true, 'after the stroke');
    await assertExact(page, 'the 2');
    await page.closeAll();
  });

  test('a dot, a cancelled stroke, Undo and Clear keep the finished strokes exact', async () => {
    const page = await openHarness();
    await drawStyle(page, 'hand: 5 two strokes', { x: 0.1, y: 0.1, size: 0.7 });
    const box = await page.locator('#pad').boundingBox();
    await touchStroke(page, [[box.x + box.width * 0.8, box.y + box.height * 0.8]]);  // a dot
    let checks = await assertExact(page, '5 and a dot');
    assert.equal(checks.at(-1).strokes, 3);

    // The browser takes a stroke back (a palm, a system gesture): it goes, the rest stays.
    const [swipe] = await strokePaths(page, { strokes: [[[0.0, 0.5], [1.0, 0.6]]] },
                                      { x: 0.05, y: 0.05, size: 0.9 });
    await touchStroke(page, swipe, { end: 'touchCancel' });
    checks = await assertExact(page, 'a cancelled stroke');
    assert.ok(checks.some((c) => c.active && c.strokes === 4), 'checked while it was drawn');
    assert.equal(checks.at(-1).strokes, 3);
    assert.equal(await screenMatches(page), true, 'after the cancel');

    // Undo twice (the dot, the 5's bar), then a new stroke over what is left.
    for (const strokes of [2, 1]) {
      await page.evaluate(() => window.padTest.pad.undo());
      checks = await assertExact(page, 'Undo');
      assert.equal(checks.at(-1).strokes, strokes);
      assert.equal(await screenMatches(page), true, 'after Undo');
    }
    await drawStyle(page, 'hand: 7 crossbar', { x: 0.3, y: 0.2, size: 0.6 });
    checks = await assertExact(page, 'strokes after Undo');
    assert.equal(checks.at(-1).strokes, 3);

    // Clear, and a digit on the empty pad.
    await page.evaluate(() => window.padTest.pad.clear());
    checks = await assertExact(page, 'Clear');
    assert.deepEqual([checks.at(-1).strokes, checks.at(-1).ink], [0, 0]);
    assert.equal(await screenMatches(page), true, 'after Clear');
    await drawStyle(page, 'hand: 9 loop then separate stem', { x: 0.15, y: 0.1, size: 0.75 });
    await assertExact(page, 'a 9 after Clear');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('a slow tablet: the pad drops to one pixel per CSS pixel after a slow stroke', async () => {
    const page = await openHarness({ search: '?slow' });
    const side = () => page.evaluate(() => document.getElementById('pad').width);
    assert.equal(await side(), 1200, 'the screen\'s density (2) before any stroke');
    const [first, second] = await strokePaths(page, style('hand: 8 two circles'),
                                              { x: 0.15, y: 0.15, size: 0.7 });
    await touchStroke(page, first);
    await settle(page);
    assert.equal(await side(), 600, 'one pixel per CSS pixel after a stroke of slow frames');
    assert.equal(await screenMatches(page), true, 'the pad, drawn again whole at its new size');
    await touchStroke(page, second);
    await settle(page);
    assert.equal(await side(), 600);
    await assertExact(page, 'the models\' pixels across the drop');
    assert.equal(await screenMatches(page), true, 'the pad after the next stroke');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('resizing the pad or changing the pixel density, between and during strokes', async () => {
    const page = await openHarness();
    const side = () => page.evaluate(() => document.getElementById('pad').width);
    const resize = async (css) => {
      await page.evaluate((px) => {
        const pad = document.getElementById('pad');
        pad.style.width = pad.style.height = `${px}px`;
      }, css);
      await settle(page);
    };
    const density = async (deviceScaleFactor) => {
      await page.cdp.send('Emulation.setDeviceMetricsOverride', {
        ...kTablet.viewport, deviceScaleFactor, mobile: true,
      });
      assert.equal(await page.evaluate(() => window.padTest.densityChanged()), 1);
      await settle(page);
    };
    assert.equal(await side(), 1200);
    await drawStyle(page, 'hand: 4 open top', { x: 0.1, y: 0.1, size: 0.8 });

    await resize(450);
    assert.equal(await side(), 900);
    await page.evaluate(() => window.padTest.check('after a resize'));
    await assertExact(page, 'after a resize');
    assert.equal(await screenMatches(page), true, 'the pad after a resize');

    // Under a finger: the pad shrinks in the middle of a stroke, then the density changes in the
    // middle of the next one.
    const [first, second] = await strokePaths(page, style('hand: 8 two circles'),
                                              { x: 0.15, y: 0.15, size: 0.7 });
    await touchStroke(page, first, { during: (i) => (i === 15 ? resize(360) : undefined) });
    assert.equal(await side(), 720);
    await touchStroke(page, second, { during: (i) => (i === 15 ? density(1) : undefined) });
    assert.equal(await side(), 360);
    const checks = await assertExact(page, 'strokes across a resize and a density change');
    assert.ok(checks.filter((c) => c.why === 'live').length >= 10);
    assert.equal(await screenMatches(page), true, 'the pad after a density change');

    await density(3);
    assert.equal(await side(), 1080);
    await page.evaluate(() => window.padTest.check('after a density change'));
    await assertExact(page, 'after a density change');
    assert.equal(await screenMatches(page), true, 'the pad at density 3');
    await page.screenshot({ path: path.join(screenshotDir, 'pad-resized.png') });
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });
});
