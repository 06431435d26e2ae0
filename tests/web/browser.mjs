// Shared pieces of the browser tests: the built site served on localhost, headless Chromium
// (Debian's, driven by playwright-core), the stroke library from the native CLI, and real mouse
// and touch strokes on <canvas id="pad">.
import fs from 'node:fs';
import path from 'node:path';

import { cliPath, launchChromium, repoRoot, strokeStyles } from './headless.mjs';
import { siteModels } from '../../wasm/site/models.mjs';
import { defaultRoot as siteRoot, startServer } from '../../wasm/site/serve.mjs';

export { cliPath, repoRoot, strokeStyles };
// Screenshots of every test, to look at: build/web-tests/*.png
export const screenshotDir = path.join(repoRoot, 'build/web-tests');
export { siteRoot };

// The languages the page promises (README "Languages"): each has a catalogue in web/messages/.
export const kLanguages = ['en', 'es', 'fr', 'de', 'pt', 'zh-Hans', 'hi', 'ar'];

// The ids of the models the built module lists (the core's registry), in display order.
export const kModelIds = (await siteModels(siteRoot)).map((m) => m.id);

// Starts the static server over the built site and a headless Chromium. Returns
// { url, browser, close() }.
export async function startBrowserSession() {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const server = await startServer({ root: siteRoot, port: 0 });  // says if the site is not built
  const browser = await launchChromium();
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

// A page that fails its test on any uncaught error or console error it logs, unless
// `allowErrors` (for the error-state tests, where the page reports on purpose). `search` is added
// to the address (e.g. '?lang=de'); `locale` is the browser's language (navigator.languages);
// `beforeLoad(context)` runs before the page opens (e.g. to install Playwright's fake clock);
// `reducedMotion` is the device's prefers-reduced-motion ('reduce' or 'no-preference').
// In the page (as self.unseen, set before the page's own scripts run): whether an element is out
// of sight: not displayed, hidden, transparent, or inside a box clipped to 1 px (text kept for
// screen readers only, like the 28x28 while the label row takes its place).
function unseen(element) {
  for (let e = element; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return true;
    const { width, height } = e.getBoundingClientRect();
    if ((width <= 1 || height <= 1) && style.overflow !== 'visible') return true;  // clipped
  }
  return false;
}

// In the page (as self.smallText): the visible elements under `root` whose own text is smaller
// than `px` (text kept for screen readers only, .visually-hidden, aside), as [className, px].
function smallText(root, px = 14) {
  return [...root.querySelectorAll('*')]
    .filter((e) => e.checkVisibility() && !e.closest('.visually-hidden') &&
            [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((e) => [e.className || e.tagName, parseFloat(getComputedStyle(e).fontSize)])
    .filter(([, size]) => size < px);
}

export async function openPage(session, { viewport = { width: 1280, height: 800 }, touch = false,
                                          allowErrors = false, routes = {}, search = '',
                                          locale = 'en-US', beforeLoad = null,
                                          reducedMotion = 'no-preference' } = {}) {
  const context = await session.browser.newContext({
    viewport, hasTouch: touch, isMobile: touch, deviceScaleFactor: touch ? 2 : 1, locale,
    reducedMotion,
  });
  await context.addInitScript(`self.unseen = ${unseen}; self.smallText = ${smallText};`);
  if (beforeLoad) await beforeLoad(context);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !allowErrors) page.errors.push(`console: ${m.text()}`);
  });
  for (const [pattern, handler] of Object.entries(routes)) await page.route(pattern, handler);
  await page.goto(session.url + search);
  await waitSettled(page);
  page.closeAll = () => context.close();
  return page;
}

// Waits until the page has left its loading state (body[data-state] is 'ready' or 'error').
export function waitSettled(page) {
  return page.waitForFunction(() => document.body.dataset.state !== 'loading', null,
                              { timeout: 15000 });
}

// One style per digit 0-9 whose source starts with `source` (e.g. "futural.jhf").
export function digitsFrom(source) {
  return Array.from({ length: 10 }, (_, d) => {
    const style = strokeStyles().find((s) => s.label === d && s.source.startsWith(source));
    if (!style) throw new Error(`no style for digit ${d} from ${source}`);
    return style;
  });
}

// Page coordinates of a style's strokes placed on the pad: the unit square is mapped to a
// square of `size` (share of the pad's side) whose top-left corner is at (x, y) (shares too).
// Points are resampled every ~10 CSS px: a quick stroke, as a pointer reports it at 60 Hz.
export async function strokePaths(page, style, { x, y, size }) {
  const box = await page.locator('#pad').boundingBox();
  const toPage = ([u, v]) => [box.x + (x + u * size) * box.width,
                              box.y + (y + v * size) * box.height];
  return style.strokes.map((stroke) => {
    const points = stroke.map(toPage);
    const dense = [points[0]];
    for (let i = 1; i < points.length; ++i) {
      const [ax, ay] = points[i - 1];
      const [bx, by] = points[i];
      const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 10));
      for (let s = 1; s <= steps; ++s) {
        dense.push([ax + ((bx - ax) * s) / steps, ay + ((by - ay) * s) / steps]);
      }
    }
    return dense;
  });
}

export async function mouseStroke(page, points) {
  await page.mouse.move(...points[0]);
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...p);
  await page.mouse.up();
}

// Real touch input through the browser's input pipeline (CDP Input.dispatchTouchEvent): the
// page receives pointer events of type "touch" and touch events, and the browser would scroll
// or zoom on them unless the page prevents it.
export async function touchStroke(page, points) {
  const cdp = await page.context().newCDPSession(page);
  const at = ([px, py]) => [{ x: px, y: py, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(points[0]) });
  for (const p of points.slice(1)) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

// A tap: one touch at the middle of `selector` through the browser's input pipeline
// (touchStroke above, CDP Input.dispatchTouchEvent), then the click the browser makes of
// it. In this headless Chromium a tap now and then makes no click (pointerdown and pointerup
// reach the button, then nothing: most often the first tap of a fresh browser, with Playwright's
// page.tap and CDP's synthesizeTapGesture alike), and fewer when the page has a listener that
// may cancel touches. So this adds an empty one (it cancels nothing; the page's own code is
// untouched) and taps once more if `took()` says the first made no difference.
export async function tap(page, selector, took) {
  await page.evaluate(() => {
    if (!window.testTouchListener) {
      window.testTouchListener = () => {};
      document.addEventListener('touchstart', window.testTouchListener, { passive: false });
    }
  });
  for (let attempt = 0; attempt < 2; ++attempt) {
    await page.locator(selector).scrollIntoViewIfNeeded();
    const box = await page.locator(selector).boundingBox();
    await touchStroke(page, [[box.x + box.width / 2, box.y + box.height / 2]]);
    await nextFrame(page);
    await page.waitForTimeout(100);
    if (await took()) return;
  }
  throw new Error(`a tap on ${selector} did nothing, twice`);
}

// Opens model `id`'s "How does it decide?" view as a child would: 'click' (mouse), 'tap' (touch:
// tap() above) or 'keyboard' (Tab to the panel's button, Enter); waits for the view.
export async function openInside(page, id, how) {
  const opener = `[data-model="${id}"] [data-action="inside"]`;
  const view = `[data-inside="${id}"]`;
  const focused = () => page.evaluate((s) => document.activeElement === document.querySelector(s), opener);
  if (how === 'click') await page.click(opener);
  else if (how === 'tap') await tap(page, opener, () => page.locator(view).isVisible());
  else {
    await page.evaluate(() => document.activeElement?.blur());
    for (let i = 0; i < 40 && !await focused(); ++i) await page.keyboard.press('Tab');
    if (!await focused()) throw new Error(`Tab does not reach ${opener}`);
    await page.keyboard.press('Enter');
  }
  await page.waitForSelector(view, { state: 'visible' });
  await nextFrame(page);
}

// The offline note comes and goes by itself: hidden for screenshots of what is under it.
export function hideOfflineNote(page) {
  return page.evaluate(() => {
    for (const note of document.querySelectorAll('.offline-note')) note.hidden = true;
  });
}

export async function drawStyle(page, style, placement, input = 'mouse') {
  const stroke = input === 'touch' ? touchStroke : mouseStroke;
  for (const points of await strokePaths(page, style, placement)) await stroke(page, points);
  await nextFrame(page);
}

// Until the page has shown what it shows for what happened before: the tasks already waiting (a
// lifted finger's answer comes in a task of its own: web/pad.js), the next frame and the task
// after it (a stroke's answer is followed, a frame later, by its label row and its words for
// screen readers: settle() in web/app.js).
export function nextFrame(page) {
  return page.evaluate(() => new Promise((resolve) =>
    setTimeout(() => requestAnimationFrame(() => setTimeout(resolve)))));
}

// Clicks a tool ([data-action=...]) as a person would; an aria-disabled one (Undo or Clear on an
// empty pad) still takes the tap, which Playwright would otherwise wait to become enabled.
export async function clickAction(page, action) {
  const selector = `[data-action="${action}"]`;
  const disabled = await page.getAttribute(selector, 'aria-disabled') === 'true';
  await page.click(selector, { force: disabled });
  await nextFrame(page);
}

// { <model id>: { prediction: '7', confidence: 0.93 }, ... } from the panels' data attributes.
export function predictions(page) {
  return page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('[data-model]')].map((e) => [
      e.dataset.model,
      { prediction: e.dataset.prediction, confidence: Number(e.dataset.confidence) },
    ])));
}

// Ink pixels on the pad (alpha > 0), to check what Clear and Undo left behind.
export function inkPixels(page) {
  return page.evaluate(() => {
    const pad = document.getElementById('pad');
    const data = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) ink += data[i] > 0;
    return ink;
  });
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}
