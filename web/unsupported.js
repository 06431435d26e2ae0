// Runs only in browsers too old for ES modules (the page's own scripts never run there): shows
// the error state instead of a page that stays "loading" for ever.
(function () {
  document.body.setAttribute('data-state', 'error');
  document.getElementById('error-message').textContent =
    'This browser is too old to run Digit Drawer: it needs JavaScript modules and WebAssembly.';
  document.getElementById('error-hint').textContent =
    'Open this page in a recent Chrome, Edge, Firefox or Safari (from 2021 or later).';
})();
