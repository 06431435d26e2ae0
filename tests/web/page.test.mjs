// End-to-end tests of the page in headless Chromium, through the browser-test contract of the
// README: #pad, body[data-state], [data-model] panels with data-prediction / data-confidence, and
// [data-action=clear|undo] buttons. Screenshots land in build/web-tests/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  clickAction, digitsFrom, drawStyle, inkPixels, kModelIds, mouseStroke, nextFrame, openPage, predictions,
  screenshot, siteRoot, startBrowserSession, strokePaths, touchStroke, waitSettled,
} from './browser.mjs';

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

// Where and how large each digit is drawn (shares of the pad): small, large, off-centre.
const kPlacements = [
  { x: 0.10, y: 0.10, size: 0.45 }, { x: 0.45, y: 0.40, size: 0.50 },
  { x: 0.20, y: 0.15, size: 0.70 }, { x: 0.05, y: 0.55, size: 0.35 },
  { x: 0.55, y: 0.05, size: 0.40 }, { x: 0.15, y: 0.25, size: 0.60 },
  { x: 0.30, y: 0.30, size: 0.30 }, { x: 0.08, y: 0.08, size: 0.85 },
  { x: 0.60, y: 0.60, size: 0.35 }, { x: 0.25, y: 0.05, size: 0.55 },
];

// Draws 0-9 one after the other (Clear between) and returns each model's reading of each digit.
async function drawAllDigits(page, source, input) {
  const readings = Object.fromEntries(kModelIds.map((id) => [id, []]));
  for (const [digit, style] of digitsFrom(source).entries()) {
    await clickAction(page, 'clear');
    await drawStyle(page, style, kPlacements[digit], input);
    const p = await predictions(page);
    for (const id of kModelIds) readings[id].push(p[id].prediction);
    // The headline tells whether the machines agree.
    const answers = new Set(kModelIds.map((id) => p[id].prediction)).size;
    const verdict = page.locator('#verdict');
    if (answers === 1) {
      assert.equal(await verdict.getAttribute('data-verdict'), 'agree');
      assert.equal(await verdict.innerText(), `They all say ${p[kModelIds[0]].prediction}.`);
    } else if (answers === kModelIds.length) {
      assert.equal(await verdict.getAttribute('data-verdict'), 'all-differ');
      assert.equal(await verdict.innerText(), `${answers} different answers: you tricked them!`);
    } else {
      assert.equal(await verdict.getAttribute('data-verdict'), 'split');
    }
    await screenshot(page, `${input}-${digit}`);
  }
  return readings;
}

function reportReadings(t, readings) {
  for (const id of kModelIds) {
    const right = readings[id].filter((p, d) => p === String(d)).length;
    t.diagnostic(`${id}: ${right}/10 read right (${readings[id].join(' ')})`);
  }
}

describe('the page', () => {
  test('loads to ready with the test contract in place', async () => {
    const page = await openPage(session);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
    const p = await predictions(page);
    assert.deepEqual(Object.keys(p).sort(), [...kModelIds].sort());
    for (const id of kModelIds) assert.deepEqual(p[id], { prediction: '', confidence: 0 });
    assert.equal(await page.locator('canvas#pad').count(), 1);
    assert.equal(await page.locator('[data-action="clear"]').count(), 1);
    assert.equal(await page.locator('[data-action="undo"]').count(), 1);
    await screenshot(page, 'ready-empty');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('mouse: LeNet-5 reads all ten digits, drawn at different places and sizes', async (t) => {
    const page = await openPage(session);
    const readings = await drawAllDigits(page, 'futural.jhf', 'mouse');
    reportReadings(t, readings);
    assert.deepEqual(readings.lenet, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('touch: LeNet-5 reads all ten digits on a tablet in portrait', async (t) => {
    const page = await openPage(session, { viewport: { width: 800, height: 1280 }, touch: true });
    const readings = await drawAllDigits(page, 'rowmans.jhf', 'touch');
    reportReadings(t, readings);
    assert.deepEqual(readings.lenet, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('predicts live while a stroke is still being drawn', async () => {
    const page = await openPage(session);
    const [stem] = await strokePaths(page, { strokes: [[[0.5, 0.1], [0.5, 0.9]]] },
                                     { x: 0.2, y: 0.1, size: 0.7 });
    await page.mouse.move(...stem[0]);
    await page.mouse.down();
    for (const p of stem.slice(1)) await page.mouse.move(...p);
    await nextFrame(page);
    await nextFrame(page);
    const live = await predictions(page);
    await page.mouse.up();
    for (const id of kModelIds) assert.notEqual(live[id].prediction, '', `${id} while drawing`);
    assert.equal((await predictions(page)).lenet.prediction, '1');
    await page.closeAll();
  });

  test('Undo removes the last stroke and Clear empties the pad, by button and key', async () => {
    const page = await openPage(session);
    const [stem, base] = await strokePaths(page, {
      strokes: [[[0.5, 0.0], [0.5, 1.0]], [[0.2, 1.0], [0.8, 1.0]]],
    }, { x: 0.3, y: 0.15, size: 0.6 });
    await mouseStroke(page, stem);
    await nextFrame(page);
    const afterStem = { ink: await inkPixels(page), p: await predictions(page) };
    await mouseStroke(page, base);
    await nextFrame(page);
    assert.ok(await inkPixels(page) > afterStem.ink);

    await clickAction(page, 'undo');
    assert.equal(await inkPixels(page), afterStem.ink);
    assert.deepEqual(await predictions(page), afterStem.p);

    await clickAction(page, 'clear');
    assert.equal(await inkPixels(page), 0);
    for (const [id, p] of Object.entries(await predictions(page))) {
      assert.deepEqual(p, { prediction: '', confidence: 0 }, id);
    }
    await screenshot(page, 'cleared');

    // Keyboard: Ctrl+Z undoes, Escape clears; Undo on an empty pad changes nothing. No single
    // key (WCAG 2.1.4) wipes a drawing: a child leaning on the keyboard keeps it.
    const toolsDisabled = () => page.evaluate(() => ['undo', 'clear'].map(
      (a) => document.querySelector(`[data-action="${a}"]`).getAttribute('aria-disabled')));
    assert.deepEqual(await toolsDisabled(), ['true', 'true'], 'Undo and Clear on an empty pad');
    await mouseStroke(page, stem);
    await mouseStroke(page, base);
    assert.deepEqual(await toolsDisabled(), ['false', 'false']);
    const drawn = await inkPixels(page);
    for (const key of ['c', 'u', 'Backspace', 'Delete', 'z', 'Shift+Escape']) {
      await page.keyboard.press(key);
      await nextFrame(page);
      assert.equal(await inkPixels(page), drawn, `${key} must not change the drawing`);
    }
    await page.keyboard.press('Control+z');
    await nextFrame(page);
    assert.equal(await inkPixels(page), afterStem.ink);
    await page.keyboard.press('Escape');
    await nextFrame(page);
    assert.equal(await inkPixels(page), 0);
    assert.deepEqual(await toolsDisabled(), ['true', 'true'], 'Undo and Clear after Escape');
    await clickAction(page, 'undo');
    assert.equal((await predictions(page)).lenet.prediction, '');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('a touch stroke on the pad draws and never scrolls the page', async () => {
    // A phone in portrait. The page fits it, so it is made taller than the screen (as a long
    // translation or a larger font could make it), so that it can scroll.
    const page = await openPage(session, { viewport: { width: 390, height: 560 }, touch: true });
    const scrollable = await page.evaluate(() => {
      document.body.style.paddingBlockEnd = '100vh';
      return document.scrollingElement.scrollHeight - window.innerHeight;
    });
    assert.ok(scrollable > 50, `the page should be scrollable here (${scrollable}px)`);

    // An upward swipe across the pad: on anything but the pad it would scroll down.
    const [swipe] = await strokePaths(page, { strokes: [[[0.5, 1.0], [0.5, 0.0]]] },
                                      { x: 0.1, y: 0.1, size: 0.8 });
    await touchStroke(page, swipe);
    await nextFrame(page);
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    assert.equal((await predictions(page)).lenet.prediction, '1');

    // The same swipe beside the pad does scroll: the check above can fail.
    const caption = await page.locator('.seen figcaption').boundingBox();
    const x = caption.x + caption.width / 2;
    const y = caption.y + caption.height / 2;
    await touchStroke(page, Array.from({ length: 25 }, (_, i) => [x, y - i * 10]));
    await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 3000 });
    await page.closeAll();
  });

  test('fits tablets and desktops without scrolling, in portrait and landscape', async () => {
    for (const [width, height] of [[768, 1024], [1024, 768], [800, 1280], [1280, 800],
                                   [1920, 1080], [844, 390]]) {
      const page = await openPage(session, { viewport: { width, height } });
      const size = await page.evaluate(() => ({
        width: document.scrollingElement.scrollWidth, height: document.scrollingElement.scrollHeight,
      }));
      assert.deepEqual(size, { width, height }, `page size at ${width}x${height}`);
      // The whole pad and both buttons are on screen.
      for (const selector of ['#pad', '[data-action="undo"]', '[data-action="clear"]', '#seen']) {
        const box = await page.locator(selector).boundingBox();
        assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width &&
                  box.y + box.height <= height, `${selector} on screen at ${width}x${height}`);
      }
      await screenshot(page, `layout-${width}x${height}`);
      await page.closeAll();
    }
  });

  test('phones: the pad is whole on screen and never moves while the headline changes', async () => {
    for (const [width, height] of [[360, 740], [320, 568], [412, 915], [568, 320], [640, 360]]) {
      const page = await openPage(session, { viewport: { width, height }, touch: true });
      const box = await page.locator('#pad').boundingBox();
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width &&
                box.y + box.height <= height, `#pad on screen at ${width}x${height}`);
      assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth), width);
      // Whatever the verdict says, from the shortest to the longest, the pad stays put.
      const tops = await page.evaluate(() => {
        const verdict = document.getElementById('verdict');
        return ['They all say 1.', 'They disagree! Which one is right?',
                '3 different answers: you tricked them!', ''].map((text) => {
          verdict.textContent = text;
          return document.getElementById('pad').getBoundingClientRect().top;
        });
      });
      assert.deepEqual(tops, tops.map(() => box.y), `pad top at ${width}x${height}`);
      await screenshot(page, `layout-phone-${width}x${height}`);
      await page.closeAll();
    }
  });

  test('a tap draws a dot and gets an answer without errors', async () => {
    const page = await openPage(session);
    const box = await page.locator('#pad').boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await nextFrame(page);
    const p = await predictions(page);
    for (const id of kModelIds) {
      assert.match(p[id].prediction, /^[0-9]$/);
      assert.ok(p[id].confidence > 0 && p[id].confidence <= 1);
    }
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });
});

describe('the error state', () => {
  const lenetBytes = () => fs.readFileSync(path.join(siteRoot, 'weights/lenet.bin'));

  // A model's weights file that does not load: that panel says so, the other machines guess.
  const modelCases = {
    'a missing weight file': {
      file: 'weights/lenet.bin',
      routes: { '**/weights/lenet.bin': (route) => route.fulfill({ status: 404, body: 'no' }) },
    },
    'a truncated weight file': {
      file: 'weights/lenet.bin',
      routes: {
        '**/weights/lenet.bin': (route) => route.fulfill({
          status: 200, contentType: 'application/octet-stream',
          body: lenetBytes().subarray(0, 100000),
        }),
      },
    },
    'a corrupt weight file': {
      file: 'weights/forest.bin',
      routes: {
        '**/weights/forest.bin': (route) => {
          const bytes = Buffer.from(fs.readFileSync(path.join(siteRoot, 'weights/forest.bin')));
          bytes[5000] ^= 0xff;
          return route.fulfill({ status: 200, body: bytes });
        },
      },
    },
    'a weight file of the wrong model': {
      file: 'weights/logreg.bin',
      routes: {
        '**/weights/logreg.bin': (route) => route.fulfill({ status: 200, body: lenetBytes() }),
      },
    },
  };

  for (const [name, { file, routes }] of Object.entries(modelCases)) {
    test(`${name}: that machine says so, the others keep guessing`, async () => {
      const page = await openPage(session, { routes, allowErrors: true });
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
      const broken = page.locator(`[data-missing="${file}"]`);
      assert.equal(await broken.count(), 1);
      const missingText = await broken.locator('.missing').innerText();
      assert.match(missingText, new RegExp(`${file.replace('.', '\\.')} is missing or damaged`));
      assert.match(missingText, /Copy the whole Digit Drawer folder again/);
      await drawStyle(page, digitsFrom('futural.jhf')[3], { x: 0.2, y: 0.15, size: 0.7 });
      const p = await predictions(page);
      const brokenId = await broken.getAttribute('data-model');
      for (const id of kModelIds) {
        assert.equal(p[id].prediction === '', id === brokenId, `${id}: ${JSON.stringify(p)}`);
      }
      // The headline counts only the machines that work.
      const working = kModelIds.filter((id) => id !== brokenId).map((id) => p[id].prediction);
      assert.equal(await page.locator('#verdict').getAttribute('data-verdict'),
                   new Set(working).size === 1 ? 'agree' : 'all-differ');
      await screenshot(page, `missing-${name.replaceAll(' ', '-')}`);
      await page.closeAll();
    });
  }

  // Nothing can guess: the error state, in a teacher's words, the technical reason folded away.
  const cases = {
    'every weight file missing': {
      routes: { '**/weights/*.bin': (route) => route.fulfill({ status: 404, body: 'no' }) },
      message: /None of the machines can start/,
      detail: /weights\/logreg\.bin.*404/,
    },
    'a missing WebAssembly module': {
      routes: { '**/digit-drawer.wasm': (route) => route.fulfill({ status: 404, body: 'no' }) },
      message: /This copy of Digit Drawer is incomplete: the file digit-drawer\.wasm is missing or damaged/,
      detail: /the server answered 404/,
    },
    'a damaged WebAssembly module': {
      routes: {
        '**/digit-drawer.wasm': (route) => route.fulfill({
          status: 200, contentType: 'application/wasm', body: Buffer.from('not a wasm module'),
        }),
      },
      message: /the file digit-drawer\.wasm is missing or damaged/,
      detail: /damaged or from another build/,
    },
    'a missing script': {
      routes: { '**/digit-drawer.js': (route) => route.fulfill({ status: 404, body: 'no' }) },
      message: /This copy of Digit Drawer is incomplete: the file app\.js is missing or damaged/,
      detail: /app\.js \(or a file it imports\) could not be downloaded/,
    },
  };

  test('says to open the one-file page, or serve the folder, when index.html is opened as a file', async () => {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    await page.goto(`file://${path.join(siteRoot, 'index.html')}`);
    await waitSettled(page);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
    assert.match(await page.locator('#error-message').innerText(), /opened as a file/);
    assert.match(await page.locator('#error-hint').innerText(), /Open digit-drawer\.html instead/);
    assert.match(await page.locator('#error-detail').textContent(), /scripts\/serve\.sh/);
    await screenshot(page, 'error-opened-as-a-file');
    await context.close();
  });

  for (const [name, { routes, message, detail }] of Object.entries(cases)) {
    test(`says what is wrong and what to do, for ${name}`, async () => {
      const page = await openPage(session, { routes, allowErrors: true });
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
      const alert = page.locator('.error[role="alert"]');
      assert.ok(await alert.isVisible());
      assert.match(await page.locator('#error-message').innerText(), message);
      assert.match(await page.locator('#error-hint').innerText(), /Copy the whole Digit Drawer folder again/);
      // Words a teacher uses; the build command is for the README.
      assert.doesNotMatch(await alert.innerText(), /cmake|--preset/);
      assert.match(await page.locator('#error-detail').textContent(), detail);
      assert.equal(await page.locator('#verdict').innerText(), 'Digit Drawer cannot start.');
      await screenshot(page, `error-${name.replaceAll(' ', '-')}`);
      // The pad takes no ink, and nothing is predicted.
      const box = await page.locator('#pad').boundingBox();
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 5 });
      await page.mouse.up();
      assert.equal(await inkPixels(page), 0);
      assert.equal((await predictions(page)).lenet?.prediction ?? '', '');
      // Reload works without the page's scripts, and the same problem is reported again.
      await Promise.all([page.waitForEvent('load'), page.click('.error a.button')]);
      await page.waitForFunction(() => document.body.dataset.state === 'error');
      assert.match(await page.locator('#error-message').innerText(), message);
      await page.closeAll();
    });
  }
});

describe('screen readers', () => {
  test('the pad, the picture and the charts have roles and words, with the values', async () => {
    const page = await openPage(session);
    assert.equal(await page.getByRole('img', { name: 'Drawing pad: draw one digit from 0 to 9' }).count(), 1);
    assert.equal(await page.getByRole('img', { name: /28 by 28 pixel picture the machines see: empty/ }).count(), 1);
    await drawStyle(page, digitsFrom('futural.jhf')[2], { x: 0.2, y: 0.15, size: 0.7 });
    assert.equal(await page.getByRole('img', { name: 'Drawing pad, 1 stroke drawn' }).count(), 1);
    assert.equal(await page.getByRole('img', { name: 'The 28 by 28 pixel picture the machines see' }).count(), 1);
    const p = await predictions(page);
    // Each chart says how sure its machine is of each of the ten digits.
    const chart = await page.locator('[data-model="lenet"] svg[role="img"]').getAttribute('aria-label');
    assert.match(chart, /^How sure LeNet-5 is of each digit: 0: \d+%, 1: \d+%, .* and 9: \d+%$/);
    assert.match(chart, new RegExp(`${p.lenet.prediction}: ${Math.round(p.lenet.confidence * 100)}%`));
    await page.closeAll();
  });

  test('hear the guesses and the headline once the drawing pauses, not after each stroke', async () => {
    const page = await openPage(session);
    const announced = () => page.locator('#announce').textContent();
    const [first, second] = await strokePaths(page, digitsFrom('futural.jhf')[4], { x: 0.2, y: 0.15, size: 0.7 });
    await mouseStroke(page, first);
    await page.waitForTimeout(400);  // the child lifts the pen to start the second stroke
    assert.equal(await announced(), '', 'nothing yet: the 4 is half drawn');
    await mouseStroke(page, second);
    await page.waitForTimeout(400);
    assert.equal(await announced(), '');
    await page.waitForFunction(() => document.getElementById('announce').textContent !== '', null,
                               { timeout: 3000 });
    const p = await predictions(page);
    const headline = await page.locator('#verdict').innerText();
    const names = { logreg: 'Logistic regression', forest: 'Random forest', lenet: 'LeNet-5' };
    const guesses = kModelIds.map((id) => `${names[id]} says ${p[id].prediction}, ` +
                                          `${Math.round(p[id].confidence * 100)}% sure`);
    // Joined as the browser's English joins a list (Intl.ListFormat: "a, b, and c").
    const list = await page.evaluate((items) => new Intl.ListFormat('en').format(items), guesses);
    assert.equal(await announced(), `${list}. ${headline}`);
    await clickAction(page, 'clear');
    await page.waitForFunction(() => document.getElementById('announce').textContent === 'The pad is empty.',
                               null, { timeout: 3000 });
    await page.closeAll();
  });
});
