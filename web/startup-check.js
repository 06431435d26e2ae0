// A classic script, not a module, so that it runs where the page's modules cannot, and reports
// what they cannot: a browser too old for them, index.html opened as a file (browsers run no
// module files from file://; the one-file page digit-drawer.html, which has its scripts inside,
// is the one to open that way), a script that fails to download or to parse, and a start that never
// ends. Each turns a page that would say "Loading…" for ever into the error state, saying what
// to do. Once the modules run, they report their own errors (web/engine.js).
//
// Its words come from the message catalogues through web/i18n.js (a classic script too, which
// runs before it); only if that is missing as well does it fall back to the one English sentence
// below.
(function () {
  var i18n = self.digitDrawerI18n;
  function t(key, params) {
    return i18n ? i18n.t(key, params) : 'Digit Drawer cannot start: a file of the page is missing. ' +
      'Copy the whole Digit Drawer folder again, then reload the page.';
  }
  // `detail`: the technical reason, in English, for whoever set up the page; `params`: the
  // message's placeholders.
  function fail(messageKey, hintKey, detail, params) {
    if (document.body.getAttribute('data-state') !== 'loading') return;
    document.body.setAttribute('data-state', 'error');
    document.getElementById('status').textContent = '';
    var verdict = document.getElementById('verdict');
    verdict.setAttribute('data-verdict', 'error');
    verdict.textContent = i18n ? t('headline.error') : '';
    document.getElementById('pad').setAttribute('aria-label', i18n ? t('pad.off') : '');
    document.getElementById('error-message').textContent = t(messageKey, params);
    document.getElementById('error-hint').textContent = i18n ? t(hintKey) : '';
    if (detail) {
      document.getElementById('error-detail').textContent = detail;
      document.getElementById('error-details').hidden = false;
    }
  }
  var oneFile = document.documentElement.getAttribute('data-build') === 'one-file';
  var kCheckFiles = oneFile ? 'hint.copyOneFile' : 'hint.copyFolder';

  if (!('noModule' in HTMLScriptElement.prototype) || typeof WebAssembly !== 'object' ||
      !('PointerEvent' in window) || !('ResizeObserver' in window)) {
    fail('error.tooOld', 'hint.newerBrowser', 'It needs JavaScript modules, WebAssembly, ' +
         'pointer events and ResizeObserver.');
    return;
  }
  if (location.protocol === 'file:' && !oneFile) {
    fail('error.openedAsFile', 'hint.openOneFile', 'Browsers run no module scripts from file://. ' +
         'Or serve this folder: scripts/serve.sh in the project, or any static web server (for ' +
         'example python3 -m http.server), then open the address it prints.');
    return;
  }
  // While loading, in the capture phase: a script element that failed to download (its error
  // does not bubble), or an uncaught error such as a SyntaxError from a browser that does not
  // know some of the scripts' syntax.
  window.addEventListener('error', function (event) {
    if (event.target && event.target.tagName === 'SCRIPT') {
      var file = event.target.getAttribute('src');
      fail(oneFile ? 'error.incompleteOneFile' : 'error.incomplete', kCheckFiles,
           file + ' (or a file it imports) could not be downloaded.', { file: file });
    } else if (event.message) {
      fail('error.scripts', 'hint.newerBrowser', event.message);
    }
  }, true);
  // The one-file page ends with its module and then an end marker (wasm/site/single_file.mjs): a
  // copy cut short has no marker.
  if (oneFile) {
    document.addEventListener('DOMContentLoaded', function () {
      if (!document.getElementById('end-of-file')) fail('error.cutShort', kCheckFiles);
    });
  }
  // A module that never arrives reports nothing: give up after a generous wait.
  setTimeout(function () {
    fail('error.timeout', kCheckFiles);
  }, 30000);
})();
