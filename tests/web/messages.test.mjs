// The message catalogues (web/messages/*.js), without a browser: every language has every word of
// the English one, with the same placeholders and the plural forms its language needs, and every
// model of the module has its words. (tests/web/languages.test.mjs shows them in the page.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { kLanguages } from './browser.mjs';
import { repoRoot } from './headless.mjs';
import { siteModels } from '../../wasm/site/models.mjs';
import { kFallbackLanguage, readCatalogues } from '../../wasm/site/messages.mjs';
import { defaultRoot as siteRoot } from '../../wasm/site/serve.mjs';

const catalogues = readCatalogues(repoRoot);
const english = catalogues[kFallbackLanguage];
const placeholders = (text) => new Set([...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
const forms = (value) => (typeof value === 'object' ? Object.values(value) : [value]);

test('has a catalogue for every promised language', () => {
  assert.deepEqual(kLanguages.filter((code) => !catalogues[code]), []);
});

for (const [code, words] of Object.entries(catalogues)) {
  test(`${code}: every key of the English words, no other, with the same placeholders`, () => {
    const missing = Object.keys(english).filter((key) => !(key in words));
    const extra = Object.keys(words).filter((key) => !(key in english));
    assert.deepEqual(missing, [], `${code} lacks these words (the page would show English)`);
    assert.deepEqual(extra, [], `${code} has words English does not`);
    for (const [key, value] of Object.entries(words)) {
      const wanted = new Set(forms(english[key]).flatMap((f) => [...placeholders(f)]));
      for (const form of forms(value)) {
        assert.equal(typeof form, 'string', `${code} ${key}`);
        assert.ok(form.trim().length > 0, `${code} ${key} is empty`);
        const stray = [...placeholders(form)].filter((p) => !wanted.has(p));
        assert.deepEqual(stray, [], `${code} ${key}: placeholders English does not have`);
        assert.doesNotMatch(form, /\{(?!\w+\})|(?<!\{\w+)\}/, `${code} ${key}: a brace that is no placeholder`);
      }
      // Every placeholder of a sentence is used, but a plural form may leave the count out
      // ("one" in many languages says "a" instead of "1").
      if (typeof value === 'string') {
        assert.deepEqual([...placeholders(value)].sort(), [...wanted].sort(), `${code} ${key}`);
      } else {
        const other = placeholders(value.other);
        assert.deepEqual([...other].sort(), [...wanted].sort(), `${code} ${key} (other)`);
      }
    }
  });

  test(`${code}: the plural forms its language has, and a name and direction`, () => {
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
    for (const [key, value] of Object.entries(english)) {
      if (typeof value !== 'object') {
        assert.equal(typeof words[key], 'string', `${code} ${key} needs no plural forms`);
        continue;
      }
      assert.equal(typeof words[key], 'object', `${code} ${key} needs plural forms`);
      assert.deepEqual(categories.filter((c) => !(c in words[key])), [],
                       `${code} ${key}: the plural forms ${code} needs`);
      assert.deepEqual(Object.keys(words[key]).filter((c) => !categories.includes(c)), [],
                       `${code} ${key}: forms ${code} does not have`);
    }
    assert.ok(['ltr', 'rtl'].includes(words['language.dir']));
    assert.ok(words['language.name'].length > 1);
    assert.equal(new Intl.Locale(code).baseName, code, `${code} is a canonical BCP 47 tag`);
  });
}

test('every model the module lists has its name and blurb in the catalogues', async () => {
  const models = await siteModels(siteRoot);
  for (const { id } of models) {
    for (const field of ['name', 'blurb']) assert.ok(`model.${id}.${field}` in english, `model.${id}.${field}`);
  }
});

test('the words of the page come from the catalogues: every text of index.html is keyed', () => {
  const html = fs.readFileSync(path.join(repoRoot, 'web/index.html'), 'utf8')
    .replace(/<!--[\s\S]*?-->/g, '').replace(/<noscript>[\s\S]*?<\/noscript>/, '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '');
  const body = html.slice(html.indexOf('<body'));
  // Elements whose own text is words: each must carry data-i18n.
  const texts = [...body.matchAll(/<(\w+)([^>]*)>([^<]*[A-Za-z][^<]*)</g)]
    .filter(([, tag]) => tag !== 'option');
  for (const [, tag, attributes, text] of texts) {
    assert.match(attributes, /data-i18n="[^"]+"/, `<${tag}> "${text.trim()}" has no data-i18n`);
    const key = attributes.match(/data-i18n="([^"]+)"/)[1];
    assert.equal(text.trim(), english[key], `<${tag} data-i18n="${key}"> holds the English words`);
  }
  for (const [, key] of body.matchAll(/data-i18n(?:-attrs)?="(?:[\w-]+=)?([^"\s]+)"/g)) {
    assert.ok(key in english, `index.html uses ${key}, which the catalogue does not have`);
  }
  // Words in attributes (what screen readers say, tooltips): from the catalogue too.
  for (const [tag] of body.matchAll(/<\w+\s[^>]*>/g)) {
    for (const [, name, value] of tag.matchAll(/\s(aria-label|title|alt|placeholder)="([^"]*)"/g)) {
      if (value) assert.match(tag, new RegExp(`data-i18n-attrs="[^"]*\\b${name}=`), `${tag} words not keyed`);
    }
  }
});
