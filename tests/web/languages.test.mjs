// The page in every language it promises, in headless Chromium: chosen by ?lang=xx, by the
// picker and by the browser's languages; every word from that language's catalogue (none falls
// back to English); <html lang> and dir follow it, and the Arabic page mirrors; text fits at
// tablet and phone size. Screenshots: build/web-tests/language-<code>-<size>.png.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  digitsFrom, drawStyle, kLanguages, kModelIds, openPage, predictions, repoRoot, screenshot,
  siteRoot, startBrowserSession, waitSettled,
} from './browser.mjs';
import { readCatalogues } from '../../wasm/site/messages.mjs';

const catalogues = readCatalogues(repoRoot);
const kSizes = { tablet: { width: 768, height: 1024 }, phone: { width: 360, height: 640 } };
const kPlacement = { x: 0.2, y: 0.15, size: 0.7 };

// The sentence `key` of language `code` with its placeholders filled, as web/i18n.js does (the
// digits 0-9 whatever the language).
function words(code, key, params = {}) {
  let text = catalogues[code][key];
  if (typeof text === 'object') text = text[new Intl.PluralRules(code).select(params.count)] ?? text.other;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// What the headline must say for these predictions, in `code`.
function expectedVerdict(code, p) {
  const answers = new Set(kModelIds.map((id) => p[id].prediction)).size;
  if (answers === 1) return words(code, 'headline.agree', { digit: p[kModelIds[0]].prediction });
  if (answers === kModelIds.length) return words(code, 'headline.allDiffer', { count: answers });
  return words(code, 'headline.split');
}

// Nothing wider than the screen, and no text cut off with an ellipsis or clipped.
async function assertTextFits(page, label) {
  const problems = await page.evaluate(() => {
    const found = [];
    const { clientWidth } = document.documentElement;
    if (document.documentElement.scrollWidth > clientWidth) {
      found.push(`the page is ${document.documentElement.scrollWidth} px wide for ${clientWidth}`);
    }
    for (const e of document.querySelectorAll('h1, h2, p, button, label, figcaption, small, span, summary')) {
      const style = getComputedStyle(e);
      if (!e.textContent.trim() || e.getClientRects().length === 0 || style.visibility === 'hidden') continue;
      if (e.closest('.visually-hidden') || e.getBoundingClientRect().width <= 1 || self.unseen(e)) {
        continue;  // for screen readers only (self.unseen: tests/web/browser.mjs)
      }
      if (e.scrollWidth > e.clientWidth + 1 && style.overflow !== 'visible' && e.clientWidth > 0) {
        found.push(`"${e.textContent.trim().slice(0, 40)}" is cut off (${e.scrollWidth} > ${e.clientWidth})`);
      }
      const box = e.getBoundingClientRect();
      if (box.right > clientWidth + 1 || box.left < -1) {
        found.push(`"${e.textContent.trim().slice(0, 40)}" sticks out of the screen (${box.left}..${box.right})`);
      }
    }
    return found;
  });
  assert.deepEqual(problems, [], label);
}

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

describe('every language', () => {
  for (const code of kLanguages) {
    for (const [size, viewport] of Object.entries(kSizes)) {
      test(`${code} at ${size} size: its own words, direction and fit`, async () => {
        const page = await openPage(session, { viewport, touch: true, search: `?lang=${code}` });
        const html = await page.evaluate(() => ({ lang: document.documentElement.lang,
                                                  dir: document.documentElement.dir,
                                                  title: document.title }));
        assert.deepEqual(html, { lang: code, dir: catalogues[code]['language.dir'], title: words(code, 'app.name') });
        assert.equal(await page.locator('#verdict').innerText(), words(code, 'headline.none'));
        assert.equal(await page.locator('[data-action="language"]').inputValue(), code);
        await assertTextFits(page, `${code} ${size}, empty`);
        await screenshot(page, `language-${code}-${size}-empty`);

        await drawStyle(page, digitsFrom('futural.jhf')[4], kPlacement, 'touch');
        const p = await predictions(page);
        assert.equal(await page.locator('#verdict').innerText(), expectedVerdict(code, p));
        const lenet = page.locator('[data-model="lenet"]');
        assert.equal(await lenet.locator('h2 .name').innerText(), words(code, 'model.lenet.name'));
        // "93 %" as the language writes a percentage, with the digits the children draw.
        const percent = new Intl.NumberFormat(code, { style: 'percent', numberingSystem: 'latn' })
          .format(p.lenet.confidence);
        assert.equal(await lenet.locator('.confidence').innerText(), words(code, 'panel.sure', { percent }));
        // On a phone the label row covers Undo after a stroke: its words, seen or not.
        assert.equal((await page.locator('[data-action="undo"] [data-i18n]').textContent()).trim(),
                     words(code, 'tools.undo'));
        await assertTextFits(page, `${code} ${size}, drawn`);
        await screenshot(page, `language-${code}-${size}`);

        if (catalogues[code]['language.dir'] === 'rtl') {
          // Mirrored: the title starts at the right, and the pad's tools run from right to left.
          const { title, undo, clear } = await page.evaluate(() => ({
            title: document.querySelector('h1').getBoundingClientRect().toJSON(),
            undo: document.querySelector('[data-action="undo"]').getBoundingClientRect().toJSON(),
            clear: document.querySelector('[data-action="clear"]').getBoundingClientRect().toJSON(),
          }));
          assert.ok(title.right > viewport.width * 0.6, `the title is at ${title.left}..${title.right}`);
          assert.ok(undo.left > clear.right, 'Undo comes first, on the right');
        }
        assert.deepEqual(await page.evaluate(() => self.digitDrawerI18n.missing), []);
        assert.deepEqual(page.errors, []);
        await page.closeAll();
      });
    }
  }
});

describe('choosing the language', () => {
  test("follows the browser's languages, with English for any other", async () => {
    for (const [locale, code] of [['de-DE', 'de'], ['pt-BR', 'pt'], ['zh-CN', 'zh-Hans'],
                                  ['ar-EG', 'ar'], ['fr-CA', 'fr'], ['sw-KE', 'en']]) {
      const page = await openPage(session, { locale });
      assert.equal(await page.evaluate(() => document.documentElement.lang), code, locale);
      assert.equal(await page.locator('h1').innerText(), words(code, 'app.name'));
      await page.closeAll();
    }
  });

  test('the picker switches at once, keeps the drawing, and is remembered', async () => {
    const page = await openPage(session, { viewport: kSizes.tablet, touch: true });
    const seven = digitsFrom('futural.jhf')[7];
    await drawStyle(page, seven, kPlacement, 'touch');
    const before = await predictions(page);
    await page.selectOption('[data-action="language"]', 'es');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    assert.deepEqual(await predictions(page), before, 'the same drawing, the same answers');
    assert.equal(await page.locator('#verdict').innerText(), expectedVerdict('es', before));
    assert.equal(await page.locator('#pad').getAttribute('aria-label'), words('es', 'pad.strokes', { count: seven.strokes.length }));
    assert.equal(await page.locator('[data-model="forest"] h2 .name').innerText(), words('es', 'model.forest.name'));
    assert.match(page.url(), /[?&]lang=es\b/);
    // A reload, and a visit without ?lang, open in Spanish.
    await page.reload();
    await waitSettled(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    const other = await page.context().newPage();
    await other.goto(session.url);
    await waitSettled(other);
    assert.equal(await other.evaluate(() => document.documentElement.lang), 'es');
    // ?lang= wins over the remembered choice; an unknown one is ignored.
    await other.goto(`${session.url}?lang=ar`);
    await waitSettled(other);
    assert.equal(await other.evaluate(() => document.documentElement.dir), 'rtl');
    await other.goto(`${session.url}?lang=xx-nope`);
    await waitSettled(other);
    assert.equal(await other.evaluate(() => document.documentElement.lang), 'es');
    assert.deepEqual(page.errors, []);
    await page.closeAll();
  });

  test('a machine that cannot start says so in the language of the page', async () => {
    const page = await openPage(session, {
      search: '?lang=de', allowErrors: true,
      routes: { '**/weights/forest.bin': (route) => route.fulfill({ status: 404, body: 'no' }) },
    });
    assert.equal(await page.locator('[data-model="forest"] .missing').innerText(),
                 words('de', 'panel.missing', { file: 'weights/forest.bin' }));
    await screenshot(page, 'language-de-missing-forest');
    await page.closeAll();
  });

  test('the one-file page, opened from a folder, speaks the languages too', async () => {
    const context = await session.browser.newContext({ locale: 'fr-FR' });
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ?
      route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    const url = pathToFileURL(path.join(siteRoot, 'digit-drawer.html')).href;
    await page.goto(url);
    await waitSettled(page);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
    assert.equal(await page.locator('#verdict').innerText(), words('fr', 'headline.none'));
    await page.goto(`${url}?lang=hi`);
    await waitSettled(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'hi');
    assert.equal(await page.locator('#verdict').innerText(), words('hi', 'headline.none'));
    await context.close();
  });
});
