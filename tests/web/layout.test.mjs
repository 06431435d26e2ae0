// The page's layout and accessibility, from a 360x640 phone to the booth's 1080p screen, empty,
// drawn on (with real touch or mouse strokes) and in the error state: the headline, the pad and
// every model's guess and chart on one screen without scrolling; the headline never cut, even
// at German length, and the biggest text after the guesses; no text under 14 px as rendered
// (the charts' labels included); the "Saved on this device" note over none of it; and nothing
// that axe-core finds against WCAG 2.0 and 2.1 A and AA. Screenshots of each step:
// build/web-tests/layout-<width>x<height>-<state>.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { axeViolations, formatViolations } from './axe.mjs';
import {
  digitsFrom, drawStyle, kLanguages, kModelIds, openPage, predictions, screenshot, startBrowserSession,
} from './browser.mjs';

let session;
before(async () => { session = await startBrowserSession(); });
after(async () => { await session?.close(); });

// Phones (upright and on their side) and a tablet by touch, at their pixel density; a small
// laptop, a larger one and the booth's screen by mouse.
const kSizes = [
  { width: 360, height: 640, touch: true },
  { width: 390, height: 844, touch: true },
  { width: 640, height: 360, touch: true },
  { width: 844, height: 390, touch: true },
  { width: 768, height: 1024, touch: true },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
// Each language's page (its address's ?lang=, kLanguages) goes through every test below.

const kSmallestText = 14;  // px, as rendered
// The English headlines, and one about 1.6 times the longest, as a translation may be.
const kHeadlines = [
  'They all say 1.', 'They disagree! Which one is right?', '3 different answers: you tricked them!',
  'Drei verschiedene Antworten: Du hast die Maschinen alle ausgetrickst!',
];
const kLongNote = 'Auf diesem Gerät gespeichert: Digit Drawer funktioniert ab jetzt auch ' +
                  'ganz ohne Netzwerkverbindung.';

const name = ({ width, height }) => `${width}x${height}`;

// Boxes (viewport coordinates) of what must be on screen.
function boxes(page) {
  return page.evaluate(() => {
    const box = (element) => {
      const { left, top, right, bottom } = element.getBoundingClientRect();
      return { left, top, right, bottom };
    };
    const all = (selector) => [...document.querySelectorAll(selector)].map(box);
    return {
      viewport: { width: innerWidth, height: innerHeight },
      scroll: { width: document.scrollingElement.scrollWidth,
                height: document.scrollingElement.scrollHeight },
      pad: box(document.getElementById('pad')),
      verdict: box(document.getElementById('verdict')),
      guesses: all('.model .guess'),
      charts: all('.model svg'),
    };
  });
}

// Every visible piece of text, with its font size as rendered: SVG text by its font size times
// the chart's scale on screen. [{ text, size, role: 'headline' | 'guess' | 'other' }]
function renderedText(page) {
  return page.evaluate(() => {
    const hidden = self.unseen;  // tests/web/browser.mjs
    const sizeOf = (element) => {
      const size = parseFloat(getComputedStyle(element).fontSize);
      if (!(element instanceof SVGElement)) return size;
      const m = element.getScreenCTM();
      return size * Math.hypot(m.c, m.d);  // the vertical scale, text being upright
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.data.trim() || element.closest('noscript, option, script') || hidden(element)) {
        continue;
      }
      const role = element.closest('#verdict') ? 'headline' :
        element.closest('.guess .digit') ? 'guess' : 'other';
      found.push({ text: node.data.trim(), size: sizeOf(element), role });
    }
    // A menu shows its chosen option's text in the menu's own font.
    for (const select of document.querySelectorAll('select')) {
      if (!hidden(select)) {
        found.push({ text: select.selectedOptions[0]?.text ?? '', size: sizeOf(select),
                     role: 'other' });
      }
    }
    return found;
  });
}

const inside = (box, { width, height }) =>
  box.left >= 0 && box.top >= 0 && box.right <= width + 0.5 && box.bottom <= height + 0.5;
const intersect = (a, b) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

// The headline, the pad, the guesses and the charts on one screen, with nothing to scroll.
async function checkFits(page, where) {
  const b = await boxes(page);
  assert.deepEqual(b.scroll, b.viewport, `${where}: the page scrolls`);
  assert.equal(b.guesses.length, kModelIds.length, `${where}: one guess per model`);
  for (const [what, box] of [['#pad', b.pad], ['#verdict', b.verdict],
                             ...b.guesses.map((g, i) => [`${kModelIds[i]}'s guess`, g]),
                             ...b.charts.map((c, i) => [`${kModelIds[i]}'s chart`, c])]) {
    assert.ok(inside(box, b.viewport), `${where}: ${what} off screen: ${JSON.stringify(box)}`);
  }
}

// Whatever the headline says, up to German length, it is whole (wrapped, never cut or
// overflowing its box) and neither it nor the pad moves.
async function checkHeadline(page, where) {
  const results = await page.evaluate((texts) => {
    const verdict = document.getElementById('verdict');
    const pad = document.getElementById('pad');
    const before = verdict.textContent;
    const out = texts.map((text) => {
      verdict.textContent = text;
      const style = getComputedStyle(verdict);
      return {
        text,
        fits: verdict.scrollWidth <= verdict.clientWidth &&
              verdict.scrollHeight <= verdict.clientHeight,
        ellipsis: style.textOverflow === 'ellipsis',
        box: JSON.stringify(verdict.getBoundingClientRect()),
        padTop: pad.getBoundingClientRect().top,
      };
    });
    verdict.textContent = before;
    return out;
  }, kHeadlines);
  for (const r of results) {
    assert.ok(r.fits, `${where}: the headline "${r.text}" overflows its box`);
    assert.ok(!r.ellipsis, `${where}: the headline may be cut with an ellipsis`);
    assert.equal(r.box, results[0].box, `${where}: the headline's box moved for "${r.text}"`);
    assert.equal(r.padTop, results[0].padTop, `${where}: the pad moved for "${r.text}"`);
  }
}

// No text under 14 px; the headline bigger than any text but the guesses.
async function checkText(page, where) {
  const texts = await renderedText(page);
  const small = texts.filter((t) => t.size < kSmallestText - 0.05);
  assert.deepEqual(small.map((t) => `"${t.text}" ${t.size.toFixed(1)}px`), [],
                   `${where}: text under ${kSmallestText} px`);
  const headline = Math.min(...texts.filter((t) => t.role === 'headline').map((t) => t.size));
  const rivals = texts.filter((t) => t.role === 'other' && t.size >= headline);
  assert.deepEqual(rivals.map((t) => `"${t.text}" ${t.size.toFixed(1)}px`), [],
                   `${where}: text as big as the headline (${headline.toFixed(1)}px)`);
}

// The offline note, shown with a long text, covers neither the pad nor any guess or chart, is
// whole, and on a phone spans the screen.
async function checkOfflineNote(page, where, size) {
  const note = await page.evaluate((text) => {
    const element = document.getElementById('offline-note');
    element.textContent = text;
    element.hidden = false;
    const { left, top, right, bottom } = element.getBoundingClientRect();
    return { box: { left, top, right, bottom },
             whole: element.scrollWidth <= element.clientWidth &&
                    element.scrollHeight <= element.clientHeight };
  }, kLongNote);
  await screenshot(page, `layout-${name(size)}-note`);
  await page.evaluate(() => { document.getElementById('offline-note').hidden = true; });
  const b = await boxes(page);
  assert.ok(note.whole, `${where}: the offline note is cut`);
  assert.ok(inside(note.box, b.viewport), `${where}: the offline note is off screen`);
  for (const [what, box] of [['the pad', b.pad],
                             ...b.guesses.map((g, i) => [`${kModelIds[i]}'s guess`, g]),
                             ...b.charts.map((c, i) => [`${kModelIds[i]}'s chart`, c])]) {
    assert.ok(!intersect(note.box, box), `${where}: the offline note covers ${what}`);
  }
  if (size.width < 600 && size.height > size.width) {
    assert.ok(note.box.right - note.box.left >= 0.9 * size.width,
              `${where}: the offline note is not full width on a phone`);
  }
}

// What axe does not check: the contrast of the parts one must see to use the page (WCAG 1.4.11,
// 3:1) - the pad's and the controls' outlines, the bars on their track - and of the "?" each
// panel shows before anything is drawn (a single character, which axe skips; 4.5:1).
async function checkContrast(page, where) {
  const pairs = await page.evaluate(() => {
    const rgb = (color) => color.match(/[\d.]+/g).slice(0, 3).map(Number);
    const luminance = (color) => {
      const [r, g, b] = rgb(color).map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const style = (element) => getComputedStyle(element);
    const page = style(document.body).backgroundColor === 'rgba(0, 0, 0, 0)' ?
      style(document.documentElement).backgroundColor : style(document.body).backgroundColor;
    const out = [];
    const outline = (what, element) => {
      const s = style(element);
      for (const [against, background] of [['the page', page], ['itself', s.backgroundColor]]) {
        out.push({ what: `${what}'s outline on ${against}`, need: 3,
                   ratio: ratio(s.borderTopColor, background) });
      }
    };
    outline('the pad', document.getElementById('pad'));
    for (const e of document.querySelectorAll('button, select')) {
      outline(e.dataset.action ?? e.localName, e);
    }
    for (const panel of document.querySelectorAll('.model')) {
      const card = style(panel).backgroundColor;
      const digit = panel.querySelector('.digit');
      if (digit.textContent === '?') {
        out.push({ what: `${panel.dataset.model}'s "?"`, need: 4.5,
                   ratio: ratio(style(digit).color, card) });
      }
      const track = style(panel.querySelector('.track')).fill;
      for (const bar of panel.querySelectorAll('.bar')) {
        const kind = bar.classList.contains('top') ? 'top bar' : 'bar';
        out.push({ what: `${panel.dataset.model}'s ${kind} on its track`, need: 3,
                   ratio: ratio(style(bar).fill, track) });
        out.push({ what: `${panel.dataset.model}'s ${kind} on the panel`, need: 3,
                   ratio: ratio(style(bar).fill, card) });
      }
    }
    return out;
  });
  const faint = [...new Set(pairs.filter((p) => p.ratio < p.need)
    .map((p) => `${p.what}: ${p.ratio.toFixed(2)}:1, needs ${p.need}:1`))];
  assert.deepEqual(faint, [], `${where}: too faint`);
}

async function checkAxe(page, where) {
  const violations = await axeViolations(page);
  assert.ok(violations.length === 0,
            `${where}: axe-core found ${violations.length}:\n${formatViolations(violations)}`);
}

// After a change of language: its fonts loaded (a script's first page pulls in its Noto font) and
// the new words laid out and painted (two animation frames). Nothing on the page animates.
const settle = (page) => page.evaluate(() => document.fonts.ready.then(() => new Promise(
  (resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))));

// Each check below, in every language: the page is loaded once per size and state, and the
// language is switched with the picker, as a teacher would (web/i18n.js redraws every word).
async function inEveryLanguage(page, check) {
  for (const lang of kLanguages) {
    await page.selectOption('[data-action="language"]', lang);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await settle(page);
    await check(lang);
  }
}

describe('layout and accessibility, in every language', () => {
  for (const size of kSizes) {
    test(`${name(size)}${size.touch ? ', touch' : ''}: everything on one screen, readable, ` +
         'found clean by axe, empty and drawn', async () => {
      const { width, height, touch = false } = size;
      const page = await openPage(session, { viewport: { width, height }, touch });
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready');
      for (const state of ['empty', 'drawn']) {
        if (state === 'drawn') {
          await drawStyle(page, digitsFrom('futural.jhf')[4], { x: 0.15, y: 0.12, size: 0.7 },
                          touch ? 'touch' : 'mouse');
          assert.notEqual((await predictions(page)).lenet.prediction, '', `${name(size)}: no guess`);
        }
        await inEveryLanguage(page, async (lang) => {
          const where = `${lang} ${name(size)} ${state}`;
          await screenshot(page, `layout-${lang}-${name(size)}-${state}`);
          await checkFits(page, where);
          await checkHeadline(page, where);
          await checkText(page, where);
          await checkOfflineNote(page, where, size);
          await checkContrast(page, where);
          await checkAxe(page, where);
        });
      }
      assert.deepEqual(page.errors, []);
      await page.closeAll();
    });
  }

  // The error state (no module), and a machine whose file is missing while the others work.
  const kBroken = {
    error: { file: '**/digit-drawer.wasm', state: 'error' },
    missing: { file: '**/weights/lenet.bin', state: 'ready' },
  };
  for (const size of kSizes) {
    test(`${name(size)}: the error state and a missing machine are found clean by axe`, async () => {
      for (const [kind, { file, state }] of Object.entries(kBroken)) {
        const page = await openPage(session, {
          viewport: { width: size.width, height: size.height }, touch: size.touch, allowErrors: true,
          routes: { [file]: (route) => route.fulfill({ status: 404, body: 'no' }) },
        });
        assert.equal(await page.evaluate(() => document.body.dataset.state), state);
        await inEveryLanguage(page, async (lang) => {
          const where = `${lang} ${name(size)} ${kind}`;
          await screenshot(page, `layout-${lang}-${name(size)}-${kind}`);
          if (kind === 'missing') await checkFits(page, where);
          await checkText(page, where);
          await checkAxe(page, where);
        });
        await page.closeAll();
      }
    });
  }
});
