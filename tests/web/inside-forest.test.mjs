// The random forest's "How does it decide?" view (web/inside/forest.js), through the README's
// browser-test contract: [data-model="forest"] [data-action="inside"] opens [data-inside="forest"],
// which holds one button[data-tree] per tree with data-vote, ten [data-tally] rows (data-digit,
// data-count, data-total) and [data-forest-guess] (data-digit: the panel's data-prediction); a tap
// on a tree shows [data-tree-path] (data-path-tree, data-answer) with its [data-step]s (data-row,
// data-col, data-went) and [data-leaf] (data-vote). Opened by click, tap and keyboard; followed
// live while a stroke is drawn; axe-core finds nothing; the sentence and the trees fit at a
// phone's, a tablet's (both ways) and the booth's size, in English and in Arabic. Screenshots:
// build/web-tests/inside-forest-*.png.
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

const kTrees = 100;  // weights/forest.bin (weights/metrics.json: "trees")
const kPlacement = { x: 0.2, y: 0.15, size: 0.65 };
const styles = digitsFrom('futural.jhf');

// What the view and the forest's panel say now, read in one go.
function state(page) {
  return page.evaluate(() => {
    const view = document.querySelector('[data-inside="forest"]');
    const panel = document.querySelector('[data-model="forest"]');
    const focus = {
      focus: document.activeElement?.closest('[data-action]')?.dataset.action ?? null,
      focusModel: document.activeElement?.closest('[data-model]')?.dataset.model ?? null,
      focusTree: document.activeElement?.dataset.tree ?? null,
    };
    if (!view) return { open: false, prediction: panel.dataset.prediction, ...focus };
    const path = view.querySelector('[data-tree-path]');
    const seen = document.querySelector('#seen');
    return {
      open: true,
      visible: view.checkVisibility() && view.getBoundingClientRect().width > 0,
      prediction: panel.dataset.prediction,
      guess: view.querySelector('[data-forest-guess]').dataset.digit,
      guessText: view.querySelector('[data-forest-guess]').textContent,
      trees: [...view.querySelectorAll('[data-tree]')].map((b) => ({
        tree: Number(b.dataset.tree), vote: b.dataset.vote,
        row: b.closest('[data-tally]')?.dataset.digit ?? null,
        pressed: b.getAttribute('aria-pressed') })),
      tally: [...view.querySelectorAll('[data-tally]')].map((r) => ({
        digit: r.dataset.digit, count: Number(r.dataset.count), total: Number(r.dataset.total) })),
      path: path && !path.hidden && path.checkVisibility() ? {
        tree: path.dataset.pathTree, answer: path.dataset.answer,
        steps: [...path.querySelectorAll('[data-step]')].map((s) => ({
          row: Number(s.dataset.row), col: Number(s.dataset.col), went: s.dataset.went,
          text: s.textContent })),
        leaf: path.querySelector('[data-leaf]').dataset.vote,
        last: [...path.children].at(-1) === path.querySelector('[data-leaf]') ||
              path.querySelector('[data-step]:last-of-type')?.compareDocumentPosition(
                path.querySelector('[data-leaf]')) === Node.DOCUMENT_POSITION_FOLLOWING,
      } : null,
      seen: seen ? [...seen.getContext('2d').getImageData(0, 0, 28, 28).data] : null,
      ...focus,
    };
  });
}

// The tally is the trees' votes; the sentence names the panel's answer; the rows hold their
// digit's trees.
function assertConsistent(s, why) {
  assert.ok(s.visible, `${why}: the view is visible`);
  assert.equal(s.trees.length, kTrees, `${why}: one button per tree`);
  assert.deepEqual([...new Set(s.trees.map((t) => t.tree))].sort((a, b) => a - b),
                   Array.from({ length: kTrees }, (_, i) => i), `${why}: trees 0..${kTrees - 1}`);
  assert.equal(s.tally.length, 10, `${why}: ten rows`);
  for (const row of s.tally) {
    const voted = s.trees.filter((t) => t.vote === row.digit).length;
    assert.equal(row.count, voted, `${why}: row ${row.digit} counts its votes`);
    assert.equal(row.total, kTrees, `${why}: data-total`);
  }
  if (s.prediction === '') {
    assert.ok(s.trees.every((t) => t.vote === ''), `${why}: no votes on an empty pad`);
    assert.equal(s.guess, '');
    return;
  }
  assert.equal(s.tally.reduce((n, r) => n + r.count, 0), kTrees, `${why}: every tree voted`);
  for (const t of s.trees) {
    assert.match(t.vote, /^[0-9]$/, `${why}: tree ${t.tree}'s vote`);
    assert.equal(t.row, t.vote, `${why}: tree ${t.tree} in the row of its vote`);
  }
  assert.equal(s.guess, s.prediction, `${why}: [data-forest-guess] is the panel's answer`);
}

// A shown path: it is the picked tree's, its questions are pixels of the 28x28, a "yes" (right)
// is a pixel with ink in the picture the machines saw, and it ends in the tree's vote.
function assertPath(s, tree, why) {
  assert.ok(s.path, `${why}: the path is shown`);
  assert.equal(s.path.tree, String(tree), `${why}: data-path-tree`);
  const vote = s.trees.find((t) => t.tree === tree).vote;
  assert.equal(s.path.answer, vote, `${why}: data-answer is the tree's vote`);
  assert.equal(s.path.leaf, vote, `${why}: the leaf's vote`);
  assert.ok(s.path.last, `${why}: the leaf comes after the questions`);
  assert.ok(s.path.steps.length >= 1 && s.path.steps.length <= 10,
            `${why}: ${s.path.steps.length} questions (the trees are at most 10 deep)`);
  for (const step of s.path.steps) {
    assert.ok(step.row >= 0 && step.row < 28 && step.col >= 0 && step.col < 28, `${why}: ${step.text}`);
    assert.match(step.went, /^(left|right)$/);
    if (step.went === 'right' && s.seen) {
      // #seen (panels.js SeenImage) draws 255 - round(255 * ink): above any threshold (at least
      // 0.5 / 255), not white.
      const k = 4 * (step.row * 28 + step.col);
      assert.ok(s.seen[k] < 255,
                `${why}: a "yes" at row ${step.row}, column ${step.col} has ink`);
    }
  }
  assert.equal(s.trees.find((t) => t.tree === tree).pressed, 'true', `${why}: the tree is pressed`);
}

const openView = (page, how) => openInside(page, 'forest', how);

describe('random forest: the tree vote', () => {
  test('opens by click; the tally is the votes; a tree\'s path; follows a stroke live', async () => {
    const page = await openPage(session, { viewport: { width: 1280, height: 800 } });
    // Opened on an empty pad: no votes yet, and it says to draw.
    await openView(page, 'click');
    let s = await state(page);
    assert.equal(s.guess, '');
    assert.match(s.guessText, /Draw a digit/);
    await page.click('[data-action="close-inside"]');

    await drawStyle(page, styles[7], kPlacement);
    await openView(page, 'click');
    s = await state(page);
    assertConsistent(s, 'a 7');
    assert.equal(s.prediction, '7');
    const top = s.tally.reduce((a, b) => (b.count > a.count ? b : a));
    assert.match(s.guessText, new RegExp(`Most trees voted ${top.digit}: ${top.count} of ${kTrees}`));
    assert.equal(s.path, null, 'no path before a tree is picked');

    // A tree that voted 7, and one that did not (if any).
    const picks = [s.trees.find((t) => t.vote === '7'), s.trees.find((t) => t.vote !== '7')]
      .filter(Boolean);
    for (const { tree } of picks) {
      await page.click(`[data-tree="${tree}"]`);
      await nextFrame(page);
      s = await state(page);
      assertPath(s, tree, `tree ${tree}`);
      assert.equal(s.trees.filter((t) => t.pressed === 'true').length, 1, 'one tree pressed');
    }
    await screenshot(page, 'inside-forest-path');
    // A tap on the picked tree hides its path again.
    const picked = picks.at(-1).tree;
    await page.click(`[data-tree="${picked}"]`);
    await nextFrame(page);
    assert.equal((await state(page)).path, null);
    await page.click(`[data-tree="${picked}"]`);
    await nextFrame(page);

    // Clear, then draw a 4 with the view open and a tree picked: the votes, the tally and the
    // tree's path follow mid-stroke and at the end of each stroke.
    await clickAction(page, 'clear');
    s = await state(page);
    assertConsistent(s, 'cleared');
    assert.equal(s.tally.reduce((n, r) => n + r.count, 0), 0);
    const live = [];
    for (const points of await strokePaths(page, styles[4], kPlacement)) {
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
      assertConsistent(end, 'at the end of a stroke');
      assertPath(end, picked, 'at the end of a stroke');
    }
    const drawn = live.filter((x) => x.prediction !== '');
    assert.ok(drawn.length >= 3, `live frames seen: ${drawn.length}`);
    for (const x of drawn) {
      assertConsistent(x, 'mid-stroke');
      assertPath(x, picked, 'mid-stroke');
    }
    const tallies = new Set(drawn.map((x) => x.tally.map((r) => r.count).join(',')));
    assert.ok(tallies.size >= 3, `the tally changes while drawing (${tallies.size} different)`);
    assert.equal((await predictions(page)).forest.prediction, '4');
    await screenshot(page, 'inside-forest-live-4');

    // "Back to all the trees" hides the path and gives focus back to the tree; the close button
    // closes the view, focus back on the opener.
    await page.click('.fr-path-close');
    await nextFrame(page);
    s = await state(page);
    assert.equal(s.path, null);
    assert.equal(s.focusTree, String(picked));
    await page.click('[data-action="close-inside"]');
    s = await state(page);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'inside');
    assert.equal(s.focusModel, 'forest');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('opens by touch and by keyboard; arrows move between trees; Escape closes', async () => {
    const phone = await openPage(session, { viewport: { width: 360, height: 640 }, touch: true });
    await drawStyle(phone, styles[3], kPlacement, 'touch');
    await openView(phone, 'tap');
    let s = await state(phone);
    assertConsistent(s, 'tap');
    const tree = s.trees[s.trees.length - 1].tree;  // the last listed: scrolled to
    await tap(phone, `[data-tree="${tree}"]`, async () => Boolean((await state(phone)).path));
    s = await state(phone);
    assertPath(s, tree, 'tapped');
    const inView = await phone.evaluate(() => {
      const r = document.querySelector('[data-tree-path]').getBoundingClientRect();
      const v = document.querySelector('[data-inside="forest"]').getBoundingClientRect();
      return r.top >= v.top - 0.5 && r.top < v.bottom;
    });
    assert.ok(inView, 'the path scrolls into view when a tree is tapped');
    await tap(phone, '[data-action="close-inside"]', async () => !(await state(phone)).open);
    assert.deepEqual(phone.errors, []);
    await phone.closeAll();

    const page = await openPage(session, { viewport: { width: 1024, height: 768 } });
    await drawStyle(page, styles[5], kPlacement);
    await openView(page, 'keyboard');
    s = await state(page);
    assertConsistent(s, 'keyboard');
    // The trees are one stop in the Tab order: Tab reaches the first listed, the arrows move on.
    const order = await page.evaluate(() => [...document.querySelectorAll('[data-tree]')]
      .map((b) => b.dataset.tree));
    const tabbable = await page.evaluate(() => [...document.querySelectorAll('[data-tree]')]
      .filter((b) => b.tabIndex === 0).map((b) => b.dataset.tree));
    assert.equal(tabbable.length, 1, 'one tree in the Tab order');
    for (let i = 0; i < 20 && (await state(page)).focusTree === null; ++i) await page.keyboard.press('Tab');
    assert.equal((await state(page)).focusTree, tabbable[0]);
    const at = order.indexOf(tabbable[0]);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal((await state(page)).focusTree, order[at + 2], 'ArrowRight moves to the next tree');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await state(page)).focusTree, order[at + 1]);
    await page.keyboard.press('End');
    assert.equal((await state(page)).focusTree, order.at(-1));
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const chosen = Number(order[1]);
    assert.equal((await state(page)).focusTree, String(chosen));
    await page.keyboard.press('Enter');
    await nextFrame(page);
    assertPath(await state(page), chosen, 'Enter on a tree');
    await page.keyboard.press('Escape');
    s = await state(page);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'inside');
    assert.equal(s.focusModel, 'forest');
    assert.notEqual((await predictions(page)).forest.prediction, '', 'Escape did not clear the pad');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  // The sentences and the first rows in view without scrolling the view, nothing wider than it, no
  // text under 14 px, the trees at least 24 px, axe-core clean with a tree picked; screenshots.
  const kSizes = [
    { width: 360, height: 640, touch: true },
    { width: 768, height: 1024, touch: true },
    { width: 1024, height: 768 },
    { width: 1920, height: 1080 },
  ];
  for (const [lang, sizes] of [['en', kSizes], ['ar', [kSizes[1], kSizes[0]]]]) {
    test(`${lang}: fits at ${sizes.map((s) => `${s.width}x${s.height}`).join(', ')}; axe`, async () => {
      for (const { width, height, touch = false } of sizes) {
        const size = `${width}x${height}`;
        const page = await openPage(session, { viewport: { width, height }, touch,
                                               search: `?lang=${lang}` });
        await drawStyle(page, styles[7], kPlacement, touch ? 'touch' : 'mouse');
        await openView(page, touch ? 'tap' : 'click');
        assertConsistent(await state(page), size);
        const measure = () => page.evaluate(() => {
          const view = document.querySelector('[data-inside="forest"]');
          const box = (e) => e.getBoundingClientRect();
          const v = box(view);
          const inside = (e) => {
            const r = box(e);
            return r.top >= v.top - 0.5 && r.bottom <= v.bottom + 0.5 &&
                   r.left >= v.left - 0.5 && r.right <= v.right + 0.5 && r.width > 0;
          };
          const small = smallText(view);
          const trees = [...view.querySelectorAll('[data-tree]')].map(box);
          return {
            guess: inside(view.querySelector('[data-forest-guess]')),
            firstRow: inside(view.querySelector('[data-tally]')),
            wide: view.scrollWidth > view.clientWidth + 1,
            small,
            smallestTree: Math.min(...trees.map((r) => Math.min(r.width, r.height))),
            rtlDigitRight: (() => {
              const row = view.querySelector(`[data-tally][data-digit="${view.querySelector('[data-forest-guess]').dataset.digit}"]`);
              return box(row.querySelector('.fr-row-digit')).left > box(row.querySelector('.fr-row-trees')).left;
            })(),
            dir: document.documentElement.dir,
          };
        });
        let layout = await measure();
        assert.ok(layout.guess, `${lang} ${size}: the sentence in view`);
        assert.ok(layout.firstRow, `${lang} ${size}: the first row of trees in view`);
        assert.ok(layout.smallestTree >= 24 - 0.01, `${lang} ${size}: trees ${layout.smallestTree} px`);
        assert.equal(layout.rtlDigitRight, layout.dir === 'rtl', `${lang} ${size}: mirrored`);
        const s = await state(page);
        const tree = s.trees.find((t) => t.vote === s.prediction).tree;
        if (touch) await tap(page, `[data-tree="${tree}"]`, async () => Boolean((await state(page)).path));
        else await page.click(`[data-tree="${tree}"]`);
        await nextFrame(page);
        assertPath(await state(page), tree, size);
        layout = await measure();
        assert.ok(!layout.wide, `${lang} ${size}: nothing wider than the view`);
        assert.deepEqual(layout.small, [], `${lang} ${size}: text under 14 px`);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${lang} ${size}:\n${formatViolations(violations)}`);
        await hideOfflineNote(page);
        await screenshot(page, `inside-forest-${lang}-${size}`);
        assert.deepEqual(page.errors, []);
        await page.closeAll();
      }
    });
  }
});
