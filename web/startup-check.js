// A classic script, not a module, so that it runs where the page's modules cannot, and reports
// what they cannot: a browser too old for them, index.html opened as a file (browsers run no
// module files from file://; the one-file page digit-drawer.html, which has its scripts inside,
// is the one to open that way), a script that fails to download or to parse, and a start that never
// ends. Each turns a page that would say "Loading…" for ever into the error state, saying what
// to do. Once the modules run, they report their own errors (web/engine.js).
(function () {
  function fail(message, hint) {
    if (document.body.getAttribute('data-state') !== 'loading') return;
    document.body.setAttribute('data-state', 'error');
    document.getElementById('status').textContent = '';
    document.getElementById('error-message').textContent = message;
    document.getElementById('error-hint').textContent = hint;
  }
  var kNewerBrowser = 'Open this page in a recent Chrome, Edge, Firefox or Safari (2021 or later).';
  var oneFile = document.documentElement.getAttribute('data-build') === 'one-file';
  var kCheckFiles = oneFile ?
    'Copy digit-drawer.html again from where you got it, then open the copy.' :
    'Check that the whole site folder is being served, then reload the page.';

  if (!('noModule' in HTMLScriptElement.prototype) || typeof WebAssembly !== 'object' ||
      !('PointerEvent' in window) || !('ResizeObserver' in window)) {
    fail('This browser is too old to run Digit Drawer: it needs JavaScript modules, WebAssembly ' +
         'and pointer events.', kNewerBrowser);
    return;
  }
  if (location.protocol === 'file:' && !oneFile) {
    fail('This page was opened as a file, and browsers only run its scripts when a web server ' +
         'serves it.',
         'Open digit-drawer.html instead: it is the whole page in one file, made to be opened ' +
         'from a folder or a USB stick. Or serve this folder: scripts/serve.sh in the project, or ' +
         'any static web server (for example python3 -m http.server), then open the address it ' +
         'prints.');
    return;
  }
  // While loading, in the capture phase: a script element that failed to download (its error
  // does not bubble), or an uncaught error such as a SyntaxError from a browser that does not
  // know some of the scripts' syntax.
  window.addEventListener('error', function (event) {
    if (event.target && event.target.tagName === 'SCRIPT') {
      fail('A script of the page (' + event.target.getAttribute('src') + ' or a file it needs) ' +
           'could not be downloaded.', kCheckFiles);
    } else if (event.message) {
      fail('This browser could not run the page\'s scripts (' + event.message + '); it is ' +
           'probably too old.', kNewerBrowser);
    }
  }, true);
  // The one-file page ends with its module and then an end marker (wasm/site/single_file.mjs): a copy
  // cut short has no marker.
  if (oneFile) {
    document.addEventListener('DOMContentLoaded', function () {
      if (!document.getElementById('end-of-file')) {
        fail('This copy of digit-drawer.html is incomplete: it was cut short, probably while ' +
             'copying.', kCheckFiles);
      }
    });
  }
  // A module that never arrives reports nothing: give up after a generous wait.
  setTimeout(function () {
    fail('The page did not finish starting within 30 seconds.', kCheckFiles);
  }, 30000);
})();
