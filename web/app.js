// Wires the page together: the pad's pixels go to the engine, the engine's numbers go to the
// panels. Owns the page's state (document.body.dataset.state: loading -> ready | error), the
// buttons and the keyboard shortcuts; once ready, hands over to offline.js.
import { createEngine, embeddedFiles } from './engine.js';
import { Pad } from './pad.js';
import { keepForOffline } from './offline.js';
import { ModelPanel, SeenImage } from './panels.js';

// Each model's words on its panel, by the id the module gives it (the core's registry).
const kBlurbs = {
  logreg: 'one weight per pixel',
  forest: '100 decision trees vote',
  lenet: 'a neural network',
};

// The one-file page (digit-drawer.html, written by wasm/site/single_file.mjs) marks its <html>
// with data-build="one-file" and carries the module and the weights inside itself.
const kOneFile = document.documentElement.dataset.build === 'one-file';

const status = document.getElementById('status');
const verdict = document.getElementById('verdict');
const number = new Intl.NumberFormat(document.documentElement.lang).format;

// One panel per model. The built page carries an empty panel for each model of the module (the
// site build writes them from the module's list), so that they show while the models load; the
// loaded module has the last word.
const modelsBox = document.getElementById('models');
const panelFor = (model, element) => new ModelPanel(modelsBox, { ...model, blurb: kBlurbs[model.id] },
                                                    element);
let panels = [...modelsBox.querySelectorAll('section[data-model]')]
  .map((e) => panelFor({ id: e.dataset.model, name: e.dataset.name }, e));

function showModels(models) {
  const names = (list) => list.map((m) => `${m.id}: ${m.name}`).join('\n');
  if (names(panels.map((p) => p.model)) === names(models)) return;
  panels.forEach((panel) => panel.element.remove());
  panels = models.map((m) => panelFor(m));
}
const seen = new SeenImage(document.getElementById('seen'));
let engine = null;

function setState(state, message = '') {
  document.body.dataset.state = state;
  status.textContent = message;
}

function showError(error) {
  setState('error');
  document.getElementById('error-message').textContent = error.message;
  document.getElementById('error-hint').textContent = error.hint ??
    'Reload the page. If it happens again, tell whoever set up this page.';
  console.error(error);
}

// Live predictions never take more than about half of the main thread, so strokes stay smooth
// on a slow tablet: after a live prediction that took t ms, the next waits at least t ms. The
// prediction at the end of a stroke always runs.
let liveAllowedAt = 0;

// Undo and Clear look (and are announced as) unavailable while there is nothing to undo; they stay
// focusable, and a tap then does nothing.
function showToolsState() {
  const empty = pad.strokes.length === 0;
  for (const button of document.querySelectorAll('[data-action="undo"], [data-action="clear"]')) {
    button.setAttribute('aria-disabled', String(empty));
  }
}

function update(final) {
  showToolsState();
  if (!engine) return;  // still loading: the first prediction happens when the models are in
  if (!final && performance.now() < liveAllowedAt) return;
  const start = performance.now();
  // Whether there is anything to read is the core's call (its ink threshold), even after Clear.
  let result;
  try {
    const { data, width, height } = pad.pixels();
    result = engine.predict(data, width, height);
  } catch (error) {
    showError(error);
    return;
  }
  const end = performance.now();
  liveAllowedAt = end + (end - start);
  panels.forEach((panel, i) => panel.show(result.empty ? null : result.models[i]));
  seen.show(result.empty ? null : result.image);
  showVerdict(result.empty ? [] : result.models.map((m) => m.prediction));
  if (final) announce(result);
  setState('ready', result.empty ? 'Draw a digit from 0 to 9!' : '');
}

// For screen readers: one sentence per finished stroke, not one per frame.
function announce(result) {
  document.getElementById('announce').textContent = result.empty ? 'The pad is empty.' :
    engine.models.map((m, i) => `${m.name} says ${result.models[i].prediction}`).join(', ') + '.';
}

// The game of the open house: can you make the machines disagree? Whatever the number of models.
const kVerdicts = {
  none: () => 'Draw a digit. Can you trick the machines?',
  agree: ({ digit }) => `They all say ${number(digit)}.`,
  split: () => 'They disagree! Which one is right?',
  'all-differ': ({ answers }) => `${number(answers)} different answers: you tricked them!`,
};

// guesses: each model's digit, or [] when there is nothing to read.
function showVerdict(guesses) {
  const answers = new Set(guesses).size;
  const kind = answers === 0 ? 'none' : answers === 1 ? 'agree' :
    answers === guesses.length ? 'all-differ' : 'split';
  verdict.dataset.verdict = kind;
  verdict.textContent = kVerdicts[kind]({ digit: guesses[0], answers });
}

const pad = new Pad(document.getElementById('pad'), update);
showToolsState();

document.addEventListener('click', (e) => {
  const action = e.target.closest('[data-action]')?.dataset.action;
  if (action === 'clear') pad.clear();
  else if (action === 'undo') pad.undo();
});

// Keyboard: Escape clears, Ctrl/Cmd+Z undoes the last stroke. No single-key shortcuts (WCAG
// 2.1.4): a child leaning on a keyboard, or typing, must not wipe a drawing.
document.addEventListener('keydown', (e) => {
  if (e.altKey || e.target.closest?.('input, textarea, select')) return;
  const key = e.key.toLowerCase();
  if (key === 'escape' && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
    pad.clear();
  } else if (key === 'z' && (e.ctrlKey || e.metaKey) && !e.shiftKey) {
    pad.undo();
  } else {
    return;
  }
  e.preventDefault();
});

setState('loading', 'Waking up the three models…');
createEngine(kOneFile ? { oneFile: true, readFile: embeddedFiles(document) } : {}).then((loaded) => {
  engine = loaded;
  showModels(engine.models);
  update(true);
  // Only a page that works is kept for offline use.
  if (document.body.dataset.state === 'ready') {
    keepForOffline({ oneFile: kOneFile, padEmpty: () => pad.strokes.length === 0 });
  }
}, showError);
