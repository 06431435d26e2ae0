// A classic script, not a module, so that it runs where the page's modules cannot: in browsers
// too old for modules or WebAssembly, and when index.html is opened as a file (browsers refuse to
// run modules from file://). It turns a page that would say "Loading…" for ever into the error
// state, saying what to do. In every other case the modules report their own errors.
(function () {
  function fail(message, hint) {
    if (document.body.getAttribute('data-state') !== 'loading') return;
    document.body.setAttribute('data-state', 'error');
    document.getElementById('status').textContent = '';
    document.getElementById('error-message').textContent = message;
    document.getElementById('error-hint').textContent = hint;
  }
  if (!('noModule' in HTMLScriptElement.prototype) || typeof WebAssembly !== 'object') {
    fail('This browser is too old to run Digit Drawer: it needs JavaScript modules and WebAssembly.',
         'Open this page in a recent Chrome, Edge, Firefox or Safari.');
  } else if (location.protocol === 'file:') {
    fail('This page was opened as a file, and browsers only run its scripts when a web server ' +
         'serves it.',
         'Serve the folder instead: scripts/serve.sh in the project, or any static web server in ' +
         'this folder (for example python3 -m http.server), then open the address it prints.');
  } else {
    // A module that never arrives reports nothing: give up after a generous wait.
    setTimeout(function () {
      fail('The page did not finish starting within 30 seconds.',
           'Check that the whole site folder is being served, then reload the page.');
    }, 30000);
  }
})();
