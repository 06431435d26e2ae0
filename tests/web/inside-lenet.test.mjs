// "How does it decide?" for LeNet-5 (web/inside/lenet.js), through the browser-test contract:
// the panel's [data-action="inside"] opens [data-inside="lenet"], which holds 6
// canvas[data-layer="conv1"] and 16 canvas[data-layer="conv2"], redrawn live; its ten bars'
// data-top is the panel's data-prediction; [data-action="close-inside"] and Escape close it.
// Screenshots: build/web-tests/inside-lenet-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './axe.mjs';
import {
  digitsFrom, drawStyle, nextFrame, openPage, predictions, screenshot, startBrowserSession,
  strokePaths,
} from './browser.mjs';

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

const kOpen = '[data-model="lenet"] [data-action="inside"]';
const kView = '[data-inside="lenet"]';
const kPhone = { width: 360, height: 640 };
const kTablet = { width: 768, height: 1024 };
const kPlacement = { x: 0.2, y: 0.15, size: 0.65 };

const isOpen = (page) => page.locator(kView).isVisible();

async function openByClick(page) {
  await page.click(kOpen);
  await page.waitForSelector(kView, { state: 'visible' });
  await nextFrame(page);
}

// A cheap fingerprint of every map's pixels, by layer: [{ layer, channel, sum, uniform }].
function mapPixels(page) {
  return page.evaluate(() => [...document.querySelectorAll('canvas[data-layer]')].map((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0, hash = 0;
    for (let i = 0; i < data.length; ++i) {
      sum += data[i];
      hash = (hash * 31 + data[i]) | 0;
    }
    let uniform = true;
    for (let i = 4; i < data.length && uniform; ++i) uniform = data[i] === data[i % 4];
    return { layer: canvas.dataset.layer, channel: Number(canvas.dataset.channel), sum, hash, uniform };
  }));
}

// The ten bars' figures: data-top and each bar's height as a share of its track.
function bars(page) {
  return page.evaluate(() => {
    const box = document.querySelector('.ln-bars');
    return { top: box.dataset.top, label: box.getAttribute('aria-label'),
             heights: [...box.querySelectorAll('.ln-bar')].map((bar) =>
               bar.querySelector('.ln-bar-fill').getBoundingClientRect().height /
               bar.querySelector('.ln-bar-track').getBoundingClientRect().height) };
  });
}

describe('the neural network view', () => {
  test('opens by click, by keyboard and by touch, and closes by its button and Escape',
       async () => {
    const page = await openPage(session);
    try {
      assert.equal(await isOpen(page), false);
      await openByClick(page);
      assert.equal(await page.locator(`${kView} h2`).innerText(), 'Inside the neural network');
      await page.click('[data-action="close-inside"]');
      assert.equal(await page.locator(kView).count(), 0);
      // Focus came back to the button that opened it: Enter opens it again, Escape closes it.
      assert.equal(await page.evaluate((s) => document.activeElement === document.querySelector(s),
                                       kOpen), true);
      await page.keyboard.press('Enter');
      await page.waitForSelector(kView, { state: 'visible' });
      // The maps are buttons, reached by Tab.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.match(await page.evaluate(() => document.activeElement.className), /ln-map/);
      await page.keyboard.press('Escape');
      assert.equal(await page.locator(kView).count(), 0);
      await page.focus(kOpen);
      await page.keyboard.press('Space');
      await page.waitForSelector(kView, { state: 'visible' });
      await page.keyboard.press('Escape');
      assert.equal(await page.locator(kView).count(), 0);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.closeAll();
    }
    const tablet = await openPage(session, { viewport: kTablet, touch: true });
    try {
      await tablet.tap(kOpen);
      await tablet.waitForSelector(kView, { state: 'visible' });
      await tablet.tap('[data-action="close-inside"]');
      assert.equal(await tablet.locator(kView).count(), 0);
      assert.deepEqual(tablet.errors, []);
    } finally {
      await tablet.closeAll();
    }
  });

  test('6 conv1 and 16 conv2 maps, redrawn while a stroke is drawn; bars match the panel',
       async () => {
    const page = await openPage(session, { viewport: kTablet, touch: true });
    try {
      await page.tap(kOpen);
      await page.waitForSelector(kView, { state: 'visible' });
      const empty = await mapPixels(page);
      assert.equal(empty.filter((m) => m.layer === 'conv1').length, 6);
      assert.equal(empty.filter((m) => m.layer === 'conv2').length, 16);
      assert.ok(empty.every((m) => m.uniform), 'nothing drawn: every map is blank');
      assert.equal((await bars(page)).top, '');

      // One long stroke of a 2 (its first), by real touch; the maps read mid-stroke, finger down.
      const [points] = await strokePaths(page, digitsFrom('futural.jhf')[2], kPlacement);
      const cdp = await page.context().newCDPSession(page);
      const at = ([x, y]) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
      const move = (p) => cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) });
      const half = Math.floor(points.length / 2);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(points[0]) });
      for (const p of points.slice(1, half)) await move(p);
      await nextFrame(page);
      await nextFrame(page);
      const mid = await mapPixels(page);
      for (const p of points.slice(half)) await move(p);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await cdp.detach();
      await nextFrame(page);
      const end = await mapPixels(page);
      assert.ok(mid.filter((m) => m.layer === 'conv1').every((m) => !m.uniform),
                'mid-stroke, the layer 1 maps show the drawing');
      const changed = end.filter((m, i) => m.hash !== mid[i].hash);
      assert.equal(changed.filter((m) => m.layer === 'conv1').length, 6,
                   'every layer 1 map changed between mid-stroke and the end');
      assert.ok(changed.filter((m) => m.layer === 'conv2').length >= 12,
                `layer 2 maps changed: ${changed.filter((m) => m.layer === 'conv2').length} of 16`);

      // The ten bars are the panel's: its top digit and its confidence.
      for (const [k, style] of [digitsFrom('futural.jhf')[2], digitsFrom('futural.jhf')[7],
                                digitsFrom('timesr.jhf')[4]].entries()) {
        if (k) {
          await page.tap('[data-action="clear"]', { force: true });
          await drawStyle(page, style, kPlacement, 'touch');
        }
        const panel = (await predictions(page)).lenet;
        const shown = await bars(page);
        assert.equal(shown.top, panel.prediction);
        const tallest = shown.heights.indexOf(Math.max(...shown.heights));
        assert.equal(String(tallest), panel.prediction);
        assert.ok(Math.abs(shown.heights[tallest] - panel.confidence) < 0.02,
                  `top bar ${shown.heights[tallest]} vs the panel's ${panel.confidence}`);
        assert.match(shown.label, new RegExp(`^It says ${panel.prediction}, `));
      }
      await screenshot(page, 'inside-lenet-live');
      assert.deepEqual(page.errors, []);
    } finally {
      await page.closeAll();
    }
  });

  test('a tap on a map enlarges it beside what it saw, with words; axe finds nothing', async () => {
    const page = await openPage(session, { viewport: kPhone, touch: true });
    try {
      await drawStyle(page, digitsFrom('futural.jhf')[3], kPlacement, 'touch');
      // A tap right after a stroke's end is not a click to Chromium (a double tap, to it).
      await page.waitForTimeout(600);
      await page.tap(kOpen);
      await page.waitForSelector(kView, { state: 'visible' });
      const detail = page.locator('.ln-detail');
      assert.equal(await detail.isVisible(), false);
      await page.locator('canvas[data-layer="conv1"]').nth(2).tap();
      assert.equal(await page.getAttribute(kView, 'data-enlarged'), 'conv1:2');
      assert.equal(await detail.isVisible(), true);
      assert.equal(await page.locator('.ln-detail-title').innerText(), 'Layer 1, map 3');
      assert.match(await page.locator('.ln-detail-line').innerText(), /bright where it found its pattern/);
      // The enlarged map is the small one's pixels.
      assert.equal(await page.evaluate(() => {
        const read = (c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.join();
        return read(document.querySelector('.ln-big')) ===
               read(document.querySelectorAll('canvas[data-layer="conv1"]')[2]);
      }), true);
      let violations = await axeViolations(page);
      assert.deepEqual(violations, [], formatViolations(violations));
      await screenshot(page, 'inside-lenet-enlarged-conv1-360x640');

      await page.locator('canvas[data-layer="conv2"]').nth(5).tap();
      assert.equal(await page.getAttribute(kView, 'data-enlarged'), 'conv2:5');
      assert.equal(await page.locator('.ln-detail-title').innerText(), 'Layer 2, map 6');
      assert.match(await page.locator('.ln-detail-line').innerText(), /all 6 maps of layer 1/);
      assert.equal(await page.locator('canvas[data-layer="conv2"]').nth(5).locator('..')
        .getAttribute('aria-pressed'), 'true');
      await screenshot(page, 'inside-lenet-enlarged-conv2-360x640');
      await page.tap('.ln-smaller');
      assert.equal(await detail.isVisible(), false);
      assert.equal(await page.getAttribute(kView, 'data-enlarged'), '');
      violations = await axeViolations(page);
      assert.deepEqual(violations, [], formatViolations(violations));
      await page.keyboard.press('Escape');
      assert.equal(await page.locator(kView).count(), 0);
      assert.deepEqual(page.errors, []);
    } finally {
      await page.closeAll();
    }
  });

  // At every size: layer 1's maps in view without scrolling the view, nothing wider than it,
  // no text under 14 px, axe clean; screenshots, also in Arabic.
  const kSizes = [
    { name: '360x640', viewport: kPhone, touch: true },
    { name: '768x1024', viewport: kTablet, touch: true },
    { name: '1024x768', viewport: { width: 1024, height: 768 } },
    { name: '1920x1080', viewport: { width: 1920, height: 1080 } },
    { name: '768x1024-ar', viewport: kTablet, touch: true, search: '?lang=ar' },
  ];
  test('fits every screen, in English and Arabic', async () => {
    for (const size of kSizes) {
      const page = await openPage(session, size);
      try {
        await drawStyle(page, digitsFrom('futural.jhf')[5], kPlacement, size.touch ? 'touch' : 'mouse');
        const models = () => page.evaluate(() => {
          const { x, y, width, height } = document.querySelector('.models').getBoundingClientRect();
          return { x, y, width, height };
        });
        const closed = await models();
        await page.click(kOpen);
        await page.waitForSelector(kView, { state: 'visible' });
        await nextFrame(page);
        // The view covers the models' box, which stays where it was.
        assert.deepEqual(await models(), closed, `${size.name}: the models' box does not move`);
        const covers = await page.evaluate((view) => {
          const v = document.querySelector(view).getBoundingClientRect();
          const m = document.querySelector('.models').getBoundingClientRect();
          return [v.x - m.x, v.y - m.y, v.width - m.width, v.height - m.height].map(Math.round);
        }, kView);
        assert.deepEqual(covers, [0, 0, 0, 0], `${size.name}: the view covers the models' box`);
        const fit = await page.evaluate((view) => {
          const box = document.querySelector(view);
          const outer = box.getBoundingClientRect();
          const inView = (r) => r.top >= outer.top - 1 && r.bottom <= outer.bottom + 1 &&
                                r.left >= outer.left - 1 && r.right <= outer.right + 1;
          const small = [...box.querySelectorAll('h3, p, li, figcaption, button, .ln-bar-digit')]
            .filter((e) => e.getClientRects().length && e.textContent.trim() &&
                           parseFloat(getComputedStyle(e).fontSize) < 14)
            .map((e) => e.className || e.tagName);
          return {
            conv1InView: [...box.querySelectorAll('canvas[data-layer="conv1"]')]
              .every((c) => inView(c.getBoundingClientRect())),
            overflow: box.scrollWidth - box.clientWidth,
            small,
          };
        }, kView);
        assert.equal(fit.conv1InView, true, `${size.name}: layer 1's maps in view`);
        assert.ok(fit.overflow <= 0, `${size.name}: nothing wider than the view (${fit.overflow} px)`);
        assert.deepEqual(fit.small, [], `${size.name}: no text under 14 px`);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${size.name}:\n${formatViolations(violations)}`);
        await screenshot(page, `inside-lenet-${size.name}`);
        await page.locator('canvas[data-layer="conv1"]').nth(0).click();
        await nextFrame(page);
        await screenshot(page, `inside-lenet-${size.name}-enlarged`);
        assert.deepEqual(page.errors, []);
      } finally {
        await page.closeAll();
      }
    }
  });
});
