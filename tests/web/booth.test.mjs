// Booth mode (web/booth.js): on by ?booth and by the teacher's switch in "Our class" (kept on the
// device, losing nothing); the pad clears itself after the idle time and never under a finger,
// by mouse and by touch, without keeping the drawing; after a minute the attract screen invites
// the next child, goes away at a tap (which draws, on the pad) or a key, and the next drawing
// works; axe is clean with it, its motion stops when the device asks, and the big headline and
// guesses fit at phone, tablet, laptop and booth sizes in English and Arabic; a long afternoon
// (200 drawings, idle clears, attract screens) keeps the JS heap and the DOM flat.
// Time runs on Playwright's fake clock (installed before the page loads), moved forward by the
// test: the page keeps its real timings. Screenshots: build/web-tests/booth-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './axe.mjs';
import {
  clickAction, digitsFrom, drawStyle, kModelIds, mouseStroke, nextFrame, openPage, predictions, screenshot,
  startBrowserSession, strokePaths, touchStroke,
} from './browser.mjs';

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

// The page's own timings (web/booth.js), which a real booth gets.
const kIdleClearMs = 20_000;
const kAttractMs = 60_000;

const kPlace = { x: 0.15, y: 0.12, size: 0.7 };
const digits = digitsFrom('futural.jhf');
const withClock = async (context) => { await context.clock.install(); };

const booth = (page) => page.evaluate(() => document.body.dataset.booth);
const attractShown = (page) => page.locator('[data-attract]').isVisible();
// The pad holds ink: Clear is available (aria-disabled only while the pad is empty).
const padHasInk = async (page) =>
  await page.getAttribute('[data-action="clear"]', 'aria-disabled') === 'false';
const shownDigit = (page) => page.evaluate(() => document.querySelector('[data-model="lenet"]').dataset.prediction);
const scoreTotals = (page) => page.evaluate(() => [...document.querySelectorAll('[data-score]')]
  .map((e) => Number(e.dataset.total)));

// Moves the page's fake clock on by `ms`, firing what falls due, then lets a frame pass.
async function wait(page, ms) {
  await page.clock.fastForward(ms);
  await nextFrame(page);
}

async function checkAxe(page, where) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${where}: ${formatViolations(violations)}`);
}

// The sizes a booth may run at: phones (upright and on its side) and a tablet by touch, a laptop
// and the booth's screen by mouse.
const kSizes = [
  { width: 360, height: 640, touch: true },
  { width: 390, height: 844, touch: true },
  { width: 640, height: 360, touch: true },
  { width: 768, height: 1024, touch: true },
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
];
const sizeName = ({ width, height }) => `${width}x${height}`;
const kSmallestText = 14;  // px, as rendered (README "At a booth")

// In booth mode nothing is cut off: no scrolling; the pad, the headline, the guesses and the
// charts on screen; the headline whole in its box whatever it says (each verdict in the page's
// language, and a German one 1.6 times the longest English); no text under 14 px; the guesses
// bigger than the headline, and the headline than any other text. Returns the sizes.
async function checkBoothFits(page, where) {
  const r = await page.evaluate(() => {
    const box = (e) => {
      const { left, top, right, bottom } = e.getBoundingClientRect();
      return { left, top, right, bottom };
    };
    const verdict = document.getElementById('verdict');
    const before = verdict.textContent;
    const t = self.digitDrawerI18n.t;
    const texts = [t('headline.none'), t('headline.agree', { digit: 8 }), t('headline.split'),
                   t('headline.allDiffer', { count: 3 }),
                   'Drei verschiedene Antworten: Du hast die Maschinen alle ausgetrickst!'];
    const headlines = texts.map((text) => {
      verdict.textContent = text;
      return { text, fits: verdict.scrollWidth <= verdict.clientWidth &&
                           verdict.scrollHeight <= verdict.clientHeight };
    });
    verdict.textContent = before;
    const sizes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const e = node.parentElement;
      if (!node.data.trim() || e.closest('noscript, option, script, dialog, [data-attract]') ||
          self.unseen(e)) continue;
      let size = parseFloat(getComputedStyle(e).fontSize);
      if (e instanceof SVGElement) size *= Math.hypot(e.getScreenCTM().c, e.getScreenCTM().d);
      sizes.push({ text: node.data.trim(), size,
                   role: e.closest('#verdict') ? 'headline' : e.closest('.guess .digit') ? 'guess' : 'other' });
    }
    return {
      viewport: { width: innerWidth, height: innerHeight },
      scroll: { width: document.scrollingElement.scrollWidth, height: document.scrollingElement.scrollHeight },
      parts: [['the pad', box(document.getElementById('pad'))], ['the headline', box(verdict)],
              ...[...document.querySelectorAll('.model .guess')].map((e, i) => [`guess ${i}`, box(e)]),
              ...[...document.querySelectorAll('.model svg')].map((e, i) => [`chart ${i}`, box(e)])],
      headlines, sizes,
    };
  });
  assert.deepEqual(r.scroll, r.viewport, `${where}: the page scrolls`);
  for (const [what, b] of r.parts) {
    assert.ok(b.left >= 0 && b.top >= 0 && b.right <= r.viewport.width + 0.5 &&
              b.bottom <= r.viewport.height + 0.5, `${where}: ${what} off screen: ${JSON.stringify(b)}`);
  }
  for (const h of r.headlines) assert.ok(h.fits, `${where}: the headline "${h.text}" is cut`);
  const small = r.sizes.filter((s) => s.size < kSmallestText - 0.05);
  assert.deepEqual(small.map((s) => `"${s.text}" ${s.size}px`), [], `${where}: text under 14 px`);
  const headline = Math.min(...r.sizes.filter((s) => s.role === 'headline').map((s) => s.size));
  const guess = Math.min(...r.sizes.filter((s) => s.role === 'guess').map((s) => s.size));
  const rivals = r.sizes.filter((s) => s.role === 'other' && s.size >= headline);
  assert.deepEqual(rivals.map((s) => `"${s.text}" ${s.size}px`), [], `${where}: as big as the headline`);
  assert.ok(guess > headline, `${where}: the guesses (${guess}px) under the headline (${headline}px)`);
  return { headline, guess };
}

// The attract screen whole on screen: its card holds all it says, and every part of it is
// inside the screen. (Once its entrance is over: it fades in.)
async function checkAttractFits(page, where) {
  await page.evaluate(() => Promise.all(document.querySelector('[data-attract]')
    .getAnimations({ subtree: true }).filter((a) => a.effect.getTiming().iterations !== Infinity)
    .map((a) => a.finished)));
  const r = await page.evaluate(() => {
    const card = document.querySelector('[data-attract] .attract-card');
    const off = [card, ...card.querySelectorAll('*')].filter((e) => {
      const { left, top, right, bottom } = e.getBoundingClientRect();
      return left < 0 || top < 0 || right > innerWidth + 0.5 || bottom > innerHeight + 0.5;
    });
    return { off: off.map((e) => e.className || e.tagName),
             overflows: card.scrollWidth > card.clientWidth || card.scrollHeight > card.clientHeight,
             title: parseFloat(getComputedStyle(card.querySelector('h2')).fontSize) };
  });
  assert.deepEqual(r.off, [], `${where}: off screen in the attract screen`);
  assert.ok(!r.overflows, `${where}: the attract screen's card is too small for its words`);
  return r.title;
}

describe('booth mode', () => {
  test('on by ?booth, or by the teacher\'s switch, remembered, and nothing is lost', async () => {
    let page = await openPage(session, { viewport: { width: 1024, height: 768 } });
    assert.equal(await booth(page), 'off');
    // A labelled drawing (a score) and a drawing on the pad, before the switch.
    await drawStyle(page, digits[4], kPlace);
    await page.click('[data-action="label"][data-digit="4"]');
    await page.waitForFunction(() => document.querySelector('[data-model]').dataset.prediction === '');
    await drawStyle(page, digits[7], kPlace);
    const shown = await predictions(page);
    const scores = await scoreTotals(page);
    assert.deepEqual(scores, kModelIds.map(() => 1));

    await page.click('[data-action="class"]');
    const toggle = page.locator('[data-action="booth"]');
    assert.equal(await toggle.getAttribute('role'), 'switch');
    assert.equal(await toggle.isChecked(), false);
    await checkAxe(page, '"Our class" with the booth switch');
    await toggle.check();
    assert.equal(await booth(page), 'on');
    await screenshot(page, 'booth-switch-1024x768');
    await page.click('[data-action="close-class"]');
    assert.deepEqual(await predictions(page), shown, 'the drawing stays on the pad');
    assert.deepEqual(await scoreTotals(page), scores, 'the scores stay');
    assert.ok(await padHasInk(page));

    // Kept on this device: a reload is still in booth mode, until the switch turns it off.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    assert.equal(await booth(page), 'on');
    assert.deepEqual(await scoreTotals(page), scores, 'the scores stay through a reload');
    await page.click('[data-action="class"]');
    assert.equal(await toggle.isChecked(), true);
    await toggle.uncheck();
    assert.equal(await booth(page), 'off');
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    assert.equal(await booth(page), 'off');
    await page.closeAll();

    page = await openPage(session, { search: '?booth', viewport: { width: 1024, height: 768 } });
    assert.equal(await booth(page), 'on');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.booth), 'on');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  for (const input of ['mouse', 'touch']) {
    test(`the pad clears itself after the idle time, never while drawing (${input})`, async () => {
      const touch = input === 'touch';
      const page = await openPage(session, {
        search: '?booth', beforeLoad: withClock, touch,
        viewport: touch ? { width: 768, height: 1024 } : { width: 1024, height: 768 },
      });
      await drawStyle(page, digits[3], kPlace, input);
      assert.notEqual(await shownDigit(page), '');
      assert.ok(await page.locator('.label-row').isVisible(), 'the label row waits for a label');
      await wait(page, kIdleClearMs - 1000);
      assert.ok(await padHasInk(page), 'not cleared before the idle time');
      await wait(page, 1500);
      assert.equal(await padHasInk(page), false, 'cleared after the idle time');
      assert.equal(await shownDigit(page), '', 'the panels follow the clear');
      assert.equal(await page.locator('.label-row').isVisible(), false, 'the label row goes');
      assert.deepEqual(await scoreTotals(page), kModelIds.map(() => 0), 'the drawing was not kept');
      assert.equal(await attractShown(page), false);

      // A finger (or a pressed mouse button) resting on the pad for longer: never cleared under it.
      const [points] = await strokePaths(page, digits[1], kPlace);
      const cdp = touch ? await page.context().newCDPSession(page) : null;
      const at = ([x, y]) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
      const down = (p) => (touch ? cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(p) }) :
        page.mouse.move(...p).then(() => page.mouse.down()));
      const move = (p) => (touch ? cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) }) :
        page.mouse.move(...p));
      const up = () => (touch ? cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] }) :
        page.mouse.up());
      const half = Math.floor(points.length / 2);
      await down(points[0]);
      for (const p of points.slice(1, half)) await move(p);
      await nextFrame(page);
      await wait(page, kIdleClearMs + 5000);
      await wait(page, kAttractMs + 5000);
      assert.ok(await padHasInk(page), 'not cleared under a finger');
      assert.equal(await attractShown(page), false, 'no attract screen under a finger');
      for (const p of points.slice(half)) await move(p);
      await up();
      await nextFrame(page);
      assert.notEqual(await shownDigit(page), '', 'the stroke is whole and guessed');
      await screenshot(page, `booth-drawn-${input}`);
      await wait(page, kIdleClearMs + 500);
      assert.equal(await padHasInk(page), false, 'cleared once the finger is gone');
      await cdp?.detach();
      assert.deepEqual(page.errors, []);
      await page.closeAll();
    });
  }

  test('the attract screen after a minute: a tap or a key sends it away, drawing at once', async () => {
    const page = await openPage(session, { search: '?booth', beforeLoad: withClock, touch: true,
                                           viewport: { width: 768, height: 1024 } });
    // The same digit drawn on a fresh pad, for what the machines say when no touch is lost.
    await drawStyle(page, digits[7], kPlace, 'touch');
    const expected = await predictions(page);
    await page.click('[data-action="clear"]');

    await wait(page, kAttractMs - 1000);
    assert.equal(await attractShown(page), false, 'not before a minute');
    await wait(page, 1500);
    assert.ok(await attractShown(page), 'after a minute with nobody drawing');
    assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-attract')), true,
                 'the focus is on the attract screen');
    assert.match(await page.locator('[data-attract] h2').textContent(), /trick the machines/);

    // A touch on the pad sends it away and is the first stroke of the next drawing.
    await drawStyle(page, digits[7], kPlace, 'touch');
    assert.equal(await attractShown(page), false);
    assert.deepEqual(await predictions(page), expected, 'the first touch was drawn, not lost');
    await page.click('[data-action="clear"]');

    // A tap off the pad only sends it away: the button under it is not pressed.
    await wait(page, kAttractMs + 500);
    assert.ok(await attractShown(page));
    const box = await page.locator('[data-action="class"]').boundingBox();
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await nextFrame(page);
    assert.equal(await attractShown(page), false);
    assert.equal(await page.locator('dialog.classroom').isVisible(), false, 'the tap opened nothing');

    // Any key sends it away too, and the next drawing works.
    await wait(page, kAttractMs + 500);
    assert.ok(await attractShown(page));
    await page.keyboard.press('a');
    assert.equal(await attractShown(page), false);
    await drawStyle(page, digits[7], kPlace, 'touch');
    assert.deepEqual(await predictions(page), expected);
    // The idle clear, then a minute after the last touch, the attract screen again.
    await wait(page, kIdleClearMs + 500);
    assert.equal(await padHasInk(page), false);
    assert.equal(await attractShown(page), false);
    await wait(page, kAttractMs - kIdleClearMs);
    assert.ok(await attractShown(page));
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('the attract screen ends a challenge round the last child left, and its results', async () => {
    const page = await openPage(session, { search: '?booth', beforeLoad: withClock,
                                           viewport: { width: 1280, height: 800 } });
    await page.click('[data-action="class"]');
    await page.click('[data-action="challenge-start"]');
    assert.ok(await page.isVisible('[data-challenge]'));
    await drawStyle(page, digits[3], kPlace);
    await wait(page, kAttractMs + 500);  // the idle clear, then nobody for a minute
    assert.ok(await attractShown(page));
    assert.equal(await page.isVisible('[data-challenge]'), false, 'the round is over');
    assert.equal(await page.isVisible('[data-challenge-results]'), false, 'with no results to read');
    assert.ok(await page.isVisible('#verdict'), 'the headline is back for the next child');

    // A round played to its end, its results left open: a minute later, the attract screen.
    await page.keyboard.press('Enter');  // the next child sends the attract screen away
    assert.equal(await attractShown(page), false);
    await page.click('[data-action="class"]');
    await page.click('[data-action="challenge-start"]');
    for (let i = 0; i < 5; ++i) await page.click('[data-action="challenge-skip"]');
    assert.ok(await page.isVisible('[data-challenge-results]'));
    await wait(page, kAttractMs + 500);
    assert.ok(await attractShown(page), 'the results left open give way to the attract screen');
    assert.equal(await page.isVisible('[data-challenge-results]'), false);
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('no motion on the attract screen when the device asks for less', async () => {
    const running = {};
    for (const reducedMotion of ['no-preference', 'reduce']) {
      const page = await openPage(session, { search: '?booth', beforeLoad: withClock, reducedMotion });
      await wait(page, kAttractMs + 500);
      assert.ok(await attractShown(page));
      running[reducedMotion] = await page.evaluate(() =>
        document.querySelector('[data-attract]').getAnimations({ subtree: true }).length);
      await page.closeAll();
    }
    assert.ok(running['no-preference'] > 0, 'the attract screen moves');
    assert.equal(running.reduce, 0, 'and stands still with reduced motion');
  });
  for (const size of kSizes) {
    for (const lang of ['en', 'ar']) {
      test(`big, whole and axe-clean at ${sizeName(size)} (${lang}), with the attract screen`, async () => {
        const where = `${sizeName(size)} ${lang}`;
        const input = size.touch ? 'touch' : 'mouse';
        const open = (search) => openPage(session, { search, beforeLoad: withClock, touch: size.touch,
                                                    viewport: { width: size.width, height: size.height } });
        // The same page without booth mode, for how much bigger the words are.
        const plain = await open(`?lang=${lang}`);
        await drawStyle(plain, digits[8], kPlace, input);
        const normal = await plain.evaluate(() => ({
          headline: parseFloat(getComputedStyle(document.getElementById('verdict')).fontSize),
          guess: parseFloat(getComputedStyle(document.querySelector('.guess .digit')).fontSize),
        }));
        await plain.closeAll();

        const page = await open(`?booth&lang=${lang}`);
        assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
        await screenshot(page, `booth-${lang}-${sizeName(size)}-empty`);
        await checkBoothFits(page, `${where} empty`);
        await drawStyle(page, digits[8], kPlace, input);
        const big = await checkBoothFits(page, `${where} drawn`);
        assert.ok(big.headline > normal.headline, `${where}: the headline grows (${normal.headline} -> ${big.headline})`);
        assert.ok(big.guess > normal.guess, `${where}: the guesses grow (${normal.guess} -> ${big.guess})`);
        await checkAxe(page, `${where} drawn`);
        await screenshot(page, `booth-${lang}-${sizeName(size)}-drawn`);

        await wait(page, kIdleClearMs + 500);
        await wait(page, kAttractMs);
        assert.ok(await attractShown(page), `${where}: the attract screen`);
        const title = await checkAttractFits(page, where);
        assert.ok(title >= big.headline * 0.99, `${where}: the invitation is as big as the headline`);
        await checkAxe(page, `${where} attract screen`);
        await screenshot(page, `booth-${lang}-${sizeName(size)}-attract`);
        assert.deepEqual(page.errors, []);
        await page.closeAll();
      });
    }
  }
  // An afternoon at the booth, on the fake clock: 200 children draw and walk away (the pad clears
  // itself), and every tenth time nobody comes for a minute (the attract screen, sent away by a
  // tap on the pad or a key). The JS heap, after a garbage collection, and the DOM's nodes and
  // listeners are measured after a warm-up and at the end. (The page without booth mode, cleared
  // by its button, drifts by about 0.5 KB a drawing too; a leaked result, pixel buffer or canvas
  // per drawing would be 6 KB to 300 KB each.)
  test('a long session keeps memory flat', async () => {
    const page = await openPage(session, { search: '?booth', beforeLoad: withClock,
                                           viewport: { width: 1024, height: 768 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    const measure = async () => {
      for (let i = 0; i < 3; ++i) await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
      return { heap: usedSize, nodes, listeners: jsEventListeners };
    };
    const box = await page.locator('#pad').boundingBox();
    // A quick two-stroke drawing, a little different each time.
    const drawing = (i) => [0, 1].map((s) => Array.from({ length: 12 }, (_, k) => [
      box.x + box.width * (0.2 + 0.05 * (i % 7) + 0.3 * s + 0.02 * k),
      box.y + box.height * (0.15 + 0.055 * k + 0.01 * (i % 5)),
    ]));
    let attracts = 0;
    const afternoon = async (children, from) => {
      for (let i = from; i < from + children; ++i) {
        for (const stroke of drawing(i)) await mouseStroke(page, stroke);
        await nextFrame(page);
        assert.ok(await padHasInk(page));
        await wait(page, kIdleClearMs + 100);
        assert.equal(await padHasInk(page), false, `drawing ${i} was cleared`);
        if (i % 10 === 9) {
          await wait(page, kAttractMs);
          assert.ok(await attractShown(page), `attract screen ${i}`);
          ++attracts;
          if (i % 20 === 9) await page.keyboard.press('Enter');
          else await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
          assert.equal(await attractShown(page), false);
          await clickAction(page, 'clear');  // the tap's dot, if it drew one
        }
      }
    };
    // The first drawings warm the page up (its code compiled and optimised: about 120 KB).
    await afternoon(40, 0);
    const start = await measure();
    await afternoon(200, 40);
    const end = await measure();
    const grew = { heap: end.heap - start.heap, nodes: end.nodes - start.nodes,
                   listeners: end.listeners - start.listeners };
    console.log(`booth: after ${attracts} attract screens and 240 drawings: heap ` +
                `${(start.heap / 1e6).toFixed(2)} MB -> ${(end.heap / 1e6).toFixed(2)} MB, ` +
                `nodes ${start.nodes} -> ${end.nodes}, listeners ${start.listeners} -> ${end.listeners}`);
    assert.ok(grew.heap < 512 * 1024, `the JS heap grew by ${grew.heap} bytes over 200 drawings`);
    assert.ok(grew.nodes <= 20, `the DOM grew by ${grew.nodes} nodes`);
    assert.ok(grew.listeners <= 0, `${grew.listeners} event listeners more`);
    assert.deepEqual(page.errors, []);
    await cdp.detach();
    await page.closeAll();
  });
});
