// Logistic regression's "How does it decide?" view (web/inside/logreg.js), through the README's
// browser-test contract: [data-model="logreg"] [data-action="inside"] opens
// [data-inside="logreg"], whose data-digit is the digit whose evidence is shown (the panel's
// data-prediction until a template is picked) and data-logit that digit's logit; ten
// [data-template] buttons pick another digit; [data-action="close-inside"] and Escape close it.
// Opened by click, tap and keyboard; followed live while a stroke is drawn; its numbers add up to
// the logit; axe-core finds nothing; its picture and sentence are in view without scrolling at a
// phone's, a tablet's (both ways) and the booth's size, in English and in Arabic. Screenshots:
// build/web-tests/inside-logreg-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './axe.mjs';
import {
  clickAction, digitsFrom, drawStyle, nextFrame, openPage, predictions, screenshot,
  hideOfflineNote, openInside, startBrowserSession, strokePaths, tap,
} from './browser.mjs';

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

const kSeven = { x: 0.2, y: 0.15, size: 0.65 };
const styles = digitsFrom('futural.jhf');

// What the view and the logistic regression panel say now, read in one go.
function state(page) {
  return page.evaluate(() => {
    const view = document.querySelector('[data-inside="logreg"]');
    const panel = document.querySelector('[data-model="logreg"]');
    return {
      open: Boolean(view),
      visible: Boolean(view) && view.checkVisibility() && view.getBoundingClientRect().width > 0,
      digit: view?.dataset.digit,
      logit: view?.dataset.logit,
      prediction: panel.dataset.prediction,
      line: view?.querySelector('.lr-line').textContent,
      pressed: view ? [...view.querySelectorAll('[data-template][aria-pressed="true"]')]
        .map((b) => b.dataset.template) : [],
      focus: document.activeElement?.closest('[data-action]')?.dataset.action ?? null,
      focusModel: document.activeElement?.closest('[data-model]')?.dataset.model ?? null,
    };
  });
}

const openView = (page, how) => openInside(page, 'logreg', how);

function assertShowsGuess(s, why) {
  assert.ok(s.visible, `${why}: the view is visible`);
  assert.notEqual(s.prediction, '', `${why}: the panel has a guess`);
  assert.equal(s.digit, s.prediction, `${why}: data-digit is the panel's guess`);
  assert.ok(Number.isFinite(Number(s.logit)) && s.logit !== '', `${why}: data-logit "${s.logit}"`);
  assert.deepEqual(s.pressed, [s.digit], `${why}: the shown digit's template is pressed`);
}

describe('logistic regression: the pixel scorer', () => {
  test('opens by click, follows a stroke live, switches digit by template, closes', async () => {
    const page = await openPage(session, { viewport: { width: 1280, height: 800 } });
    await drawStyle(page, styles[7], kSeven);
    await openView(page, 'click');
    let s = await state(page);
    assertShowsGuess(s, 'click');
    assert.equal(s.digit, '7');
    assert.match(s.line, /made it think 7/);

    // Clear, then draw a digit with the view open: the view follows the panel mid-stroke and at
    // the end of each stroke.
    await clickAction(page, 'clear');
    s = await state(page);
    assert.equal(s.digit, '');
    assert.equal(s.logit, '');
    const live = [];
    for (const points of await strokePaths(page, styles[4], kSeven)) {
      await page.mouse.move(...points[0]);
      await page.mouse.down();
      for (const [k, p] of points.slice(1).entries()) {
        await page.mouse.move(...p);
        if (k % 4 === 3) {
          await nextFrame(page);
          await nextFrame(page);
          live.push(await state(page));
        }
      }
      await page.mouse.up();
      await nextFrame(page);
      const end = await state(page);
      assert.equal(end.digit, end.prediction, 'at the end of a stroke');
    }
    const drawn = live.filter((x) => x.prediction !== '');
    assert.ok(drawn.length >= 3, `live frames seen: ${drawn.length}`);
    for (const x of drawn) assert.equal(x.digit, x.prediction, 'mid-stroke');
    assert.ok(new Set(drawn.map((x) => x.logit)).size >= 3, 'the logit changes while drawing');
    s = await state(page);
    assertShowsGuess(s, 'after drawing');
    assert.equal(s.prediction, '4');
    await screenshot(page, 'inside-logreg-live-4');

    // A template picks another digit; its evidence stays shown while drawing goes on; the guess's
    // own template, or "Back to its guess", follows the guess again.
    await page.click('[data-template="1"]');
    await nextFrame(page);
    s = await state(page);
    assert.equal(s.digit, '1');
    assert.deepEqual(s.pressed, ['1']);
    assert.notEqual(s.logit, '');
    assert.match(s.line, /These pixels say 1, but 4 scored higher/);
    assert.ok(await page.isVisible('[data-follow-guess]'));
    await screenshot(page, 'inside-logreg-picked-1');
    await page.click('[data-follow-guess]');
    await nextFrame(page);
    assertShowsGuess(await state(page), 'back to the guess');
    assert.ok(!await page.isVisible('[data-follow-guess]'));
    await page.click('[data-template="9"]');
    await nextFrame(page);
    assert.equal((await state(page)).digit, '9');
    await page.click('[data-template="4"]');  // the guess's own template
    await nextFrame(page);
    assertShowsGuess(await state(page), 'the guess\'s template');

    // The close button closes it, and focus goes back to the opener.
    await page.click('[data-action="close-inside"]');
    s = await state(page);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'inside');
    assert.equal(s.focusModel, 'logreg');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('opens by touch and by keyboard; Escape closes it, focus back on the opener', async () => {
    const phone = await openPage(session, { viewport: { width: 360, height: 640 }, touch: true });
    await drawStyle(phone, styles[7], kSeven, 'touch');
    await openView(phone, 'tap');
    assertShowsGuess(await state(phone), 'tap');
    await tap(phone, '[data-template="2"]', async () => (await state(phone)).digit === '2');
    assert.equal((await state(phone)).digit, '2');
    await tap(phone, '[data-action="close-inside"]', async () => !(await state(phone)).open);
    assert.equal((await state(phone)).open, false);
    assert.deepEqual(phone.errors, []);
    await phone.closeAll();

    const page = await openPage(session, { viewport: { width: 1024, height: 768 } });
    await drawStyle(page, styles[3], kSeven);
    await openView(page, 'keyboard');
    const s = await state(page);
    assertShowsGuess(s, 'keyboard');
    // The templates are buttons in the Tab order: Enter on one picks it.
    const picked = s.digit === '8' ? '5' : '8';
    await page.focus(`[data-template="${picked}"]`);
    await page.keyboard.press('Enter');
    await nextFrame(page);
    assert.equal((await state(page)).digit, picked);
    await page.keyboard.press('Escape');
    const closed = await state(page);
    assert.equal(closed.open, false);
    assert.equal(closed.focus, 'inside');
    assert.equal(closed.focusModel, 'logreg');
    // Escape closed the view, it did not clear the pad.
    assert.notEqual((await predictions(page)).logreg.prediction, '');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('"show the numbers" adds up to the logit; the highest score is the guess', async () => {
    const page = await openPage(session, { viewport: { width: 1280, height: 800 } });
    await drawStyle(page, styles[2], kSeven);
    await openView(page, 'click');
    await page.click('.lr-numbers summary');
    await nextFrame(page);
    const read = () => page.evaluate(() => {
      const view = document.querySelector('[data-inside="logreg"]');
      return { logit: Number(view.dataset.logit), digit: view.dataset.digit,
               sum: view.querySelector('.lr-sum').textContent,
               scores: [...view.querySelectorAll('.lr-score-list li')].map((li) => li.textContent) };
    });
    for (const template of [null, '5']) {
      if (template) {
        await page.click(`[data-template="${template}"]`);
        await nextFrame(page);
      }
      const n = await read();
      const parts = n.sum.match(/add (-?[\d.]+), the orange pixels add (-?[\d.]+), and it starts at (-?[\d.]+)\. Total: (-?[\d.]+)\./);
      assert.ok(parts, n.sum);
      const [pro, against, bias, total] = parts.slice(1).map(Number);
      assert.ok(Math.abs(total - n.logit) <= 0.005 + 1e-9, `total ${total} vs data-logit ${n.logit}`);
      assert.ok(Math.abs(pro + against + bias - total) < 1e-6, n.sum);
      assert.ok(pro >= 0 && against <= 0, n.sum);
      const scores = n.scores.map((text) => Number(text.split(': ')[1]));
      assert.equal(scores.length, 10);
      assert.ok(Math.abs(scores[Number(n.digit)] - total) < 1e-9, 'the score list agrees');
      const best = scores.indexOf(Math.max(...scores));
      assert.equal(String(best), (await predictions(page)).logreg.prediction);
    }
    assert.deepEqual(await axeViolations(page), [], 'axe with the numbers open');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  // The picture and the sentence in view without scrolling the view, nothing wider than it, no
  // text under 14 px, axe-core clean; screenshots.
  const kSizes = [
    { width: 360, height: 640, touch: true },
    { width: 768, height: 1024, touch: true },
    { width: 1024, height: 768 },
    { width: 1920, height: 1080 },
  ];
  for (const [lang, sizes] of [['en', kSizes], ['ar', [kSizes[1], kSizes[0]]]]) {
    test(`${lang}: in view at ${sizes.map((s) => `${s.width}x${s.height}`).join(', ')}; axe`, async () => {
      for (const { width, height, touch = false } of sizes) {
        const size = `${width}x${height}`;
        const page = await openPage(session, { viewport: { width, height }, touch,
                                               search: `?lang=${lang}` });
        await drawStyle(page, styles[7], kSeven, touch ? 'touch' : 'mouse');
        await openView(page, touch ? 'tap' : 'click');
        assertShowsGuess(await state(page), size);
        const layout = await page.evaluate(() => {
          const view = document.querySelector('[data-inside="logreg"]');
          const box = (e) => e.getBoundingClientRect();
          const v = box(view);
          const inside = (e) => {
            const r = box(e);
            return r.top >= v.top - 0.5 && r.bottom <= v.bottom + 0.5 &&
                   r.left >= v.left - 0.5 && r.right <= v.right + 0.5 && r.width > 0;
          };
          const small = smallText(view);
          return {
            picture: inside(view.querySelector('.lr-picture')),
            line: inside(view.querySelector('.lr-line')),
            legend: inside(view.querySelector('.lr-legend')),
            wide: view.scrollWidth > view.clientWidth + 1,
            small,
            pictureSide: box(view.querySelector('.lr-picture')).width,
            rtlPictureRight: box(view.querySelector('.lr-picture')).right > box(view.querySelector('.lr-line')).right,
            dir: document.documentElement.dir,
          };
        });
        assert.ok(layout.picture && layout.line, `${lang} ${size}: picture and sentence in view`);
        assert.ok(layout.legend || width <= 360, `${lang} ${size}: the legend in view`);
        assert.ok(!layout.wide, `${lang} ${size}: nothing wider than the view`);
        assert.deepEqual(layout.small, [], `${lang} ${size}: text under 14 px`);
        assert.ok(layout.pictureSide >= 112, `${lang} ${size}: picture ${layout.pictureSide} px`);
        assert.equal(layout.rtlPictureRight, layout.dir === 'rtl', `${lang} ${size}: mirrored`);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${lang} ${size}:\n${formatViolations(violations)}`);
        await hideOfflineNote(page);
        await screenshot(page, `inside-logreg-${lang}-${size}`);
        assert.deepEqual(page.errors, []);
        await page.closeAll();
      }
    });
  }
});
