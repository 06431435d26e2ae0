// The page's words: picks a language, gives out its sentences, formats its numbers, and puts the
// words into the page's markup. The words themselves are in web/messages/<language>.js, one
// catalogue per language, each a classic script that adds itself to self.digitDrawerMessages
// (the site build loads every catalogue before this file; the one-file page inlines them).
//
// A classic script, in the syntax of old browsers, not a module: startup-check.js, which runs
// where the modules cannot (an old browser, index.html opened as a file), tells people in their
// language what is wrong too. The modules read it as self.digitDrawerI18n.
//
// The language in use is, in this order: ?lang=xx in the address, the one last picked on this
// device (the picker, [data-action="language"]), the browser's languages, English. Its code goes
// into <html lang> and its direction into <html dir>.
//
// Markup: data-i18n="key" sets an element's text; data-i18n-attrs="aria-label=key title=key2" its
// attributes. In a catalogue, a sentence is a string with {named} placeholders, or, where a count
// changes it, an object of Intl.PluralRules categories ({ one: ..., other: ... }).
(function () {
  'use strict';
  var kFallback = 'en';
  var kStorageKey = 'digit-drawer-language';
  var catalogues = self.digitDrawerMessages || {};
  var missing = [];

  var codes = Object.keys(catalogues).sort(function (a, b) {
    return a === kFallback ? -1 : b === kFallback ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });

  // The catalogue for a BCP 47 tag: the same code, else the same language ("pt-BR" -> "pt",
  // "zh-CN" -> "zh-Hans"), or null.
  function match(tag) {
    if (!tag) return null;
    var wanted = String(tag).toLowerCase();
    var i;
    for (i = 0; i < codes.length; ++i) if (codes[i].toLowerCase() === wanted) return codes[i];
    var language = wanted.split('-')[0];
    for (i = 0; i < codes.length; ++i) if (codes[i].toLowerCase().split('-')[0] === language) return codes[i];
    return null;
  }

  function savedChoice() {
    try {
      return localStorage.getItem(kStorageKey);
    } catch (e) {
      return null;  // storage refused (a private window, file:// in some browsers)
    }
  }

  function chooseLanguage() {
    var fromAddress = /[?&]lang=([^&#]*)/.exec(location.search);
    var wanted = [fromAddress && decodeURIComponent(fromAddress[1]), savedChoice()]
      .concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; ++i) {
      var found = match(wanted[i]);
      if (found) return found;
    }
    return kFallback;
  }

  var lang = chooseLanguage();
  var formats = {};

  // Every number on the page is written with the digits 0-9, whatever the language's own digits:
  // they are the shapes the machines were taught and the children draw.
  function format(kind) {
    if (!formats[kind]) {
      var options = kind === 'percent' ? { style: 'percent', maximumFractionDigits: 0 } : {};
      options.numberingSystem = 'latn';
      formats[kind] = new Intl.NumberFormat(lang, options);
    }
    return formats[kind];
  }

  // One Intl.PluralRules per language, made on first use: a live view words a count every frame.
  var plurals = null;
  function pluralRules() {
    if (!plurals || plurals.lang !== lang) plurals = { lang: lang, rules: new Intl.PluralRules(lang) };
    return plurals.rules;
  }

  function lookup(key) {
    var own = catalogues[lang] && catalogues[lang][key];
    if (own !== undefined) return own;
    if (missing.indexOf(lang + ': ' + key) < 0) {
      missing.push(lang + ': ' + key);
      if (self.console) console.error('Digit Drawer: no "' + key + '" in the ' + lang + ' words');
    }
    var fallback = catalogues[kFallback] && catalogues[kFallback][key];
    return fallback !== undefined ? fallback : key;
  }

  // The sentence `key` with its {placeholders} filled from `params`; `params.count` (a number)
  // picks the plural form where the catalogue has several.
  function t(key, params) {
    params = params || {};
    var text = lookup(key);
    if (typeof text === 'object') {
      var category = self.Intl && Intl.PluralRules ?
        pluralRules().select(params.count) : (params.count === 1 ? 'one' : 'other');
      text = text[category] !== undefined ? text[category] : text.other;
    }
    return String(text).replace(/\{(\w+)\}/g, function (whole, name) {
      if (!(name in params)) return whole;
      var value = params[name];
      return typeof value === 'number' ? format('number').format(value) : String(value);
    });
  }

  // Items joined as the language joins a list ("A, B and C").
  var lists = null;  // one Intl.ListFormat per language: every stroke's end words three lists
  function list(items) {
    if (self.Intl && Intl.ListFormat) {
      if (!lists || lists.lang !== lang) {
        lists = { lang: lang, format: new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }) };
      }
      return lists.format.format(items);
    }
    return items.join(', ');
  }

  function apply(root) {
    var i, j;
    var texts = root.querySelectorAll('[data-i18n]');
    for (i = 0; i < texts.length; ++i) texts[i].textContent = t(texts[i].getAttribute('data-i18n'));
    var attributed = root.querySelectorAll('[data-i18n-attrs]');
    for (i = 0; i < attributed.length; ++i) {
      var pairs = attributed[i].getAttribute('data-i18n-attrs').split(/\s+/);
      for (j = 0; j < pairs.length; ++j) {
        var pair = pairs[j].split('=');
        if (pair.length === 2) attributed[i].setAttribute(pair[0], t(pair[1]));
      }
    }
  }

  function applyToDocument() {
    var html = document.documentElement;
    html.lang = lang;
    html.dir = t('language.dir') === 'rtl' ? 'rtl' : 'ltr';
    document.title = t('app.name');
    apply(document);
    var pickers = document.querySelectorAll('[data-action="language"]');
    for (var i = 0; i < pickers.length; ++i) fillPicker(pickers[i]);
  }

  // Each language under its own name, so that anyone finds theirs whatever is shown now.
  function fillPicker(select) {
    while (select.firstChild) select.removeChild(select.firstChild);
    for (var i = 0; i < codes.length; ++i) {
      var option = document.createElement('option');
      option.value = codes[i];
      option.lang = codes[i];
      option.textContent = catalogues[codes[i]]['language.name'];
      option.selected = codes[i] === lang;
      select.appendChild(option);
    }
    if (!select.hasAttribute('data-i18n-wired')) {
      select.setAttribute('data-i18n-wired', '');
      select.addEventListener('change', function () { setLanguage(select.value); });
    }
  }

  // Switches the page to `code` at once (the modules redraw their words on the
  // 'digitdrawer:language' event), keeps the choice on this device and in the address, so that a
  // reload or a bookmark opens in it.
  function setLanguage(code) {
    var found = match(code);
    if (!found || found === lang) return;
    lang = found;
    formats = {};
    try {
      localStorage.setItem(kStorageKey, lang);
    } catch (e) { /* not kept: the address still says it */ }
    if (history.replaceState && /^https?:$/.test(location.protocol)) {
      var search = location.search.replace(/([?&])lang=[^&#]*&?/, '$1').replace(/[?&]$/, '');
      history.replaceState(history.state, '',
                           location.pathname + (search ? search + '&' : '?') + 'lang=' +
                           encodeURIComponent(lang) + location.hash);
    }
    applyToDocument();
    document.dispatchEvent(new CustomEvent('digitdrawer:language', { detail: { lang: lang } }));
  }

  self.digitDrawerI18n = {
    get lang() { return lang; },
    languages: codes,
    missing: missing,  // "<lang>: <key>" for every word that fell back to English (a bug)
    t: t,
    has: function (key) { return catalogues[kFallback] !== undefined && key in catalogues[kFallback]; },
    list: list,
    number: function (x) { return format('number').format(x); },
    percent: function (p) { return format('percent').format(p); },
    apply: apply,
    setLanguage: setLanguage,
  };

  // The markup is all there: this script is deferred (the site) or comes after it (the one-file
  // page), and startup-check.js, which runs next, may already put an error into it.
  applyToDocument();
})();
