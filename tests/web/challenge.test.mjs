// Challenges (web/challenge.js), through the README's browser-test contract: "Our class"'s
// [data-action="challenge-start"] starts a round of five prompts in [data-challenge] (data-rule,
// data-machine, data-digit, data-step, data-points, data-streak, data-won); each is judged at the
// end of each stroke (the last one when the label row says what was drawn) exactly as its rule
// says, checked here against the panels' own answers by the test's own reading of the rules;
// skip, next and stop; the results ([data-challenge-results]) show the round's drawings, won or
// skipped, and its points; the teacher's [data-action="challenges-enabled"] turns challenges off
// and it is kept across a reload. At a phone's, a tablet's and the booth's size, in English and
// Arabic, the prompt fits its box, the pad and the three guesses stay on screen, axe-core finds
// nothing. Screenshots: build/web-tests/challenge-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './axe.mjs';
import {
  clickAction, digitsFrom, drawStyle, hideOfflineNote, nextFrame, openPage, predictions, screenshot,
  startBrowserSession,
} from './browser.mjs';

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

const styles = digitsFrom('futural.jhf');
const kPlacement = { x: 0.2, y: 0.15, size: 0.65 };
const kRules = ['agree', 'say', 'fool', 'disagree', 'fool-all'];

function bar(page) {
  return page.evaluate(() => {
    const e = document.querySelector('[data-challenge]');
    return e && !e.hidden ? { ...e.dataset, prompt: e.querySelector('.challenge-prompt').textContent,
                              feedback: e.querySelector('.challenge-feedback').textContent } : null;
  });
}

// The rule, read from the README: what the machines' answers (the panels' data-prediction) must be.
function expectedWin(b, answers, label = null) {
  const digits = Object.values(answers).map((a) => a.prediction);
  const d = b.digit;
  switch (b.rule) {
    case 'agree': return digits.every((x) => x === d);
    case 'say': return answers[b.machine].prediction === d;
    case 'fool': return answers[b.machine].prediction !== d &&
      Object.entries(answers).some(([id, a]) => id !== b.machine && a.prediction === d);
    case 'disagree': return new Set(digits).size === digits.length;
    case 'fool-all': return label === d && digits.every((x) => x !== d);
    default: throw new Error(`no rule ${b.rule}`);
  }
}

async function startRound(page) {
  await page.click('[data-action="class"]');
  await page.click('[data-action="challenge-start"]');
  await page.waitForSelector('[data-challenge]', { state: 'visible' });
  await nextFrame(page);
}

describe('challenges', () => {
  test('a round: each prompt judged as its rule says; skip, next; the results', async () => {
    const page = await openPage(session, { viewport: { width: 1280, height: 800 } });
    await startRound(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.challengeRound), 'on');
    assert.ok(!await page.isVisible('#verdict'), 'the prompt takes the headline\'s place');
    let points = 0, streak = 0, best = 0;
    const outcomes = [];
    for (let step = 1; step <= 5; ++step) {
      let b = await bar(page);
      assert.equal(b.step, String(step));
      assert.equal(b.rule, kRules[step - 1], 'the round goes from the warm-up to the hardest');
      assert.equal(b.won, 'false');
      assert.equal(b.points, String(points));
      if (b.rule !== 'disagree') assert.match(b.digit, /^[0-9]$/);
      if (b.rule === 'say' || b.rule === 'fool') assert.match(b.machine, /^(logreg|forest|lenet)$/);
      if (b.rule === 'fool') assert.match(b.feedback, /Another machine must still see/);
      // Two tries: another digit, then the prompt's own (a 7 and a 1 for "disagree").
      const digit = b.digit === '' ? 7 : Number(b.digit);
      let won = false;
      for (const tryDigit of [(digit + 3) % 10, b.digit === '' ? 1 : digit]) {
        await clickAction(page, 'clear');
        await drawStyle(page, styles[tryDigit], kPlacement);
        const answers = await predictions(page);
        let expected = expectedWin(b, answers);
        if (b.rule === 'fool-all') {
          assert.equal((await bar(page)).won, 'false', 'fool-all waits for the label');
          // Tell them it was the prompt's digit (a true label only on the second try).
          await page.click(`[data-action="label"][data-digit="${tryDigit === digit ? digit : tryDigit}"]`);
          await nextFrame(page);
          expected = expectedWin(b, answers, String(tryDigit));
        }
        b = await bar(page);
        assert.equal(b.won, String(expected),
                     `${b.rule} ${b.digit} ${b.machine}: answers ${JSON.stringify(answers)}`);
        if (expected) {
          won = true;
          break;
        }
        assert.match(b.feedback, /Not yet|This challenge wants/, 'it says why not');
      }
      if (won) {
        streak += 1;
        best = Math.max(best, streak);
        points += 10 * streak;
        assert.equal(b.points, String(points));
        assert.equal(b.streak, String(streak));
        assert.match(b.feedback, /^Yes! \+\d+ points/);
        assert.ok(await page.isVisible('[data-action="challenge-next"]'));
        assert.ok(!await page.isVisible('[data-action="challenge-skip"]'));
        if (step === 2) await screenshot(page, 'challenge-won');
        await page.click('[data-action="challenge-next"]');
      } else {
        streak = 0;
        await page.click('[data-action="challenge-skip"]');
      }
      outcomes.push({ rule: kRules[step - 1], won: String(won) });
      await nextFrame(page);
    }
    // The results: the five drawings, won or skipped, the points and the best streak.
    await page.waitForSelector('[data-challenge-results]', { state: 'visible' });
    const results = await page.evaluate(() => {
      const d = document.querySelector('[data-challenge-results]');
      return { ...d.dataset, items: [...d.querySelectorAll('[data-round-drawing]')].map((li) => ({
        rule: li.dataset.rule, won: li.dataset.won,
        ink: (() => {
          const c = li.querySelector('canvas');
          const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < data.length; i += 4) n += data[i] > 0;
          return n;
        })() })) };
    });
    assert.equal(results.points, String(points));
    assert.equal(results.won, String(outcomes.filter((o) => o.won === 'true').length));
    assert.equal(results.bestStreak, String(best));
    assert.deepEqual(results.items.map(({ rule, won }) => ({ rule, won })), outcomes);
    for (const item of results.items) assert.ok(item.ink > 0, `${item.rule}: its drawing is shown`);
    assert.equal(await bar(page), null, 'the round is over');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.challengeRound), undefined);
    assert.ok(await page.isVisible('#verdict'), 'the headline is back');
    assert.deepEqual(await axeViolations(page), [], 'axe on the results');
    await screenshot(page, 'challenge-results');
    await page.click('[data-action="challenge-close"]');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('stop ends a round; the teacher turns challenges off, kept after a reload', async () => {
    const page = await openPage(session, { viewport: { width: 1024, height: 768 } });
    await startRound(page);
    await page.click('[data-action="challenge-skip"]');
    await page.click('[data-action="challenge-stop"]');
    await page.waitForSelector('[data-challenge-results]', { state: 'visible' });
    const items = await page.evaluate(() => [...document.querySelectorAll('[data-round-drawing]')]
      .map((li) => li.dataset.won));
    assert.deepEqual(items, ['false'], 'the results of the prompts played');
    await page.click('[data-action="challenge-close"]');

    // Stopped at once: no results, nothing left of the round.
    await startRound(page);
    await page.click('[data-action="challenge-stop"]');
    assert.equal(await bar(page), null);
    assert.ok(!await page.isVisible('[data-challenge-results]'));

    // Off: a running round ends, "Play a round" is gone; on again after a reload it stays off.
    await startRound(page);
    await page.click('[data-action="class"]');
    await page.uncheck('[data-action="challenges-enabled"]');
    assert.ok(!await page.isVisible('[data-action="challenge-start"]'));
    await page.keyboard.press('Escape');
    assert.equal(await bar(page), null, 'turning challenges off ends the round');
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    await page.click('[data-action="class"]');
    assert.equal(await page.isChecked('[data-action="challenges-enabled"]'), false);
    assert.ok(!await page.isVisible('[data-action="challenge-start"]'));
    await page.check('[data-action="challenges-enabled"]');
    assert.ok(await page.isVisible('[data-action="challenge-start"]'));
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  const kSizes = [
    { width: 360, height: 640, touch: true },
    { width: 768, height: 1024, touch: true },
    { width: 1920, height: 1080 },
  ];
  for (const [lang, sizes] of [['en', kSizes], ['ar', [kSizes[0], kSizes[1]]]]) {
    test(`${lang}: the prompt fits, pad and guesses on screen, axe, at ${sizes.map((s) => `${s.width}x${s.height}`).join(', ')}`, async () => {
      for (const { width, height, touch = false } of sizes) {
        const where = `${lang} ${width}x${height}`;
        const page = await openPage(session, { viewport: { width, height }, touch, search: `?lang=${lang}` });
        await startRound(page);
        await page.click('[data-action="challenge-skip"]');  // to "say": a machine's name in it
        await page.click('[data-action="challenge-skip"]');  // to "fool": the longest prompt
        await drawStyle(page, styles[4], kPlacement, touch ? 'touch' : 'mouse');
        const fit = await page.evaluate(() => {
          const box = (e) => e.getBoundingClientRect();
          const bar = document.querySelector('[data-challenge]');
          const onScreen = (e) => {
            const r = box(e);
            return r.top >= -0.5 && r.bottom <= innerHeight + 0.5 && r.left >= -0.5 &&
                   r.right <= innerWidth + 0.5 && r.width > 0;
          };
          const small = smallText(bar);
          const barBox = box(bar);
          const inBar = [...bar.children].every((c) => box(c).top >= barBox.top - 0.5 && box(c).bottom <= barBox.bottom + 0.5);
          return { inBar, small, pad: onScreen(document.getElementById('pad')),
                   guesses: [...document.querySelectorAll('.model .guess')].map(onScreen),
                   bar: onScreen(bar), padBelowBar: box(document.getElementById('pad')).top >= barBox.bottom - 0.5,
                   wide: document.scrollingElement.scrollWidth > innerWidth + 1 };
        });
        assert.ok(fit.bar && fit.inBar, `${where}: the prompt, its line and its buttons fit its box`);
        assert.ok(fit.pad && fit.padBelowBar, `${where}: the pad on screen, under the prompt`);
        assert.deepEqual(fit.guesses, [true, true, true], `${where}: the three guesses on screen`);
        assert.ok(!fit.wide, `${where}: nothing wider than the screen`);
        assert.deepEqual(fit.small, [], `${where}: text under 14 px`);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `${where}:\n${formatViolations(violations)}`);
        await hideOfflineNote(page);
        await screenshot(page, `challenge-${lang}-${width}x${height}`);
        // The rest skipped (or, if the 4 won, moved on from): the results, in view and clean.
        for (let i = 0; i < 3; ++i) {
          await page.click('[data-action="challenge-skip"]:visible, [data-action="challenge-next"]:visible');
        }
        await page.waitForSelector('[data-challenge-results]', { state: 'visible' });
        const results = await page.evaluate(() => {
          const r = document.querySelector('[data-challenge-results]').getBoundingClientRect();
          return r.left >= -0.5 && r.right <= innerWidth + 0.5 && r.top >= -0.5 && r.bottom <= innerHeight + 0.5;
        });
        assert.ok(results, `${where}: the results fit the screen`);
        const onResults = await axeViolations(page);
        assert.deepEqual(onResults, [], `${where} results:\n${formatViolations(onResults)}`);
        await screenshot(page, `challenge-results-${lang}-${width}x${height}`);
        assert.deepEqual(page.errors, []);
        await page.closeAll();
      }
    });
  }
});
