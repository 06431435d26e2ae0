// Wires the page together: the pad's pixels go to the engine, the engine's numbers go to the
// panels, and every word comes from the message catalogues (web/i18n.js, self.digitDrawerI18n).
// Owns the page's state (document.body.dataset.state: loading -> ready | error), the headline,
// the buttons, the keyboard shortcuts and what screen readers hear; once ready, hands over to
// offline.js.
import { createEngine, embeddedFiles } from './engine.js';
import { Pad } from './pad.js';
import { keepForOffline } from './offline.js';
import { setText } from './dom.js';
import { ModelPanel, SeenImage, modelWords } from './panels.js';
import { Inside, hasInside } from './inside.js';
import { Classroom } from './classroom.js';
import { Challenge } from './challenge.js';
import { Booth } from './booth.js';

const i18n = self.digitDrawerI18n;

// The one-file page (digit-drawer.html, written by wasm/site/single_file.mjs) marks its <html>
// with data-build="one-file" and carries the module and the weights inside itself.
const kOneFile = document.documentElement.dataset.build === 'one-file';

// Screen readers hear the guesses once the child stops drawing for this long, not after each
// stroke: the first stroke of a two-stroke 4 is not the answer.
const kAnnounceAfterMs = 1200;

const status = document.getElementById('status');
const verdict = document.getElementById('verdict');
const padCanvas = document.getElementById('pad');

// One panel per model. The built page carries an empty panel for each model of the module (the
// site build writes them from the module's list), so that they show while the models load; the
// loaded module has the last word.
const modelsBox = document.getElementById('models');
const panelFor = (model, element) => new ModelPanel(modelsBox, model, element,
                                                   { oneFile: kOneFile, inside: hasInside(model) });
let panels = [...modelsBox.querySelectorAll('section[data-model]')]
  .map((e) => panelFor({ id: e.dataset.model, name: e.dataset.name, error: null }, e));

function showModels(models) {
  panels.forEach((panel) => panel.element.remove());
  panels = models.map((m, i) => panelFor(m, panels[i]?.model.id === m.id ? panels[i].element : null));
  panels.forEach((panel) => modelsBox.append(panel.element));
}
const seen = new SeenImage(document.getElementById('seen'));
let engine = null;
// "How does it decide?" (web/inside.js): while a view is open, each prediction is an explain()
// of its model, from the same forward pass.
const inside = new Inside(modelsBox, { rerun: () => update(true) });

// What the page shows now, kept so that a change of language can say it again in other words.
const shown = { status: null, verdict: { kind: 'none' }, error: null };

function setState(state, statusKey = null) {
  if (document.body.dataset.state !== state) document.body.dataset.state = state;
  shown.status = statusKey;
  setText(status, statusKey ? i18n.t(statusKey) : '');
}

// An EngineError (web/engine.js) or any other failure, in a teacher's words: what happened, what
// to do, and the technical reason folded away for whoever set the page up.
function errorWords(error) {
  switch (error.code) {
    case 'incomplete':
      return kOneFile ? { message: i18n.t('error.incompleteOneFile'), hint: i18n.t('hint.copyOneFile') } :
        { message: i18n.t('error.incomplete', { file: error.file }), hint: i18n.t('hint.copyFolder') };
    case 'noModels':
      return { message: i18n.t('error.noModels'),
               hint: i18n.t(kOneFile ? 'hint.copyOneFile' : 'hint.copyFolder') };
    default:
      return { message: i18n.t('error.predict'), hint: i18n.t('hint.reload') };
  }
}

function showError(error) {
  if (!shown.error) console.error(error);
  shown.error = error;
  setState('error');
  showVerdict({ kind: 'error' });
  const { message, hint } = errorWords(error);
  document.getElementById('error-message').textContent = message;
  document.getElementById('error-hint').textContent = hint;
  const detail = error.detail || error.message || String(error);
  document.getElementById('error-detail').textContent = error.file ? `${error.file}: ${detail}` : detail;
  document.getElementById('error-details').hidden = !detail;
  describePad();
}

// Live predictions never take more than about half of the main thread, so strokes stay smooth
// on a slow tablet: after a live prediction that took t ms, the next waits at least t ms; and if
// the frame that showed it ran long (frameMs, from the pad: t leaves out the panels' style, layout
// and paint), at least ten such frames. The prediction at the end of a stroke always runs.
let liveAllowedAt = 0;
let liveShownNext = false;  // the pad's next frame shows the last live prediction

// Undo and Clear look (and are announced as) unavailable while there is nothing to undo; they stay
// focusable, and a tap then does nothing. The pad says how many strokes it holds.
const toolButtons = document.querySelectorAll('[data-action="undo"], [data-action="clear"]');
let toolsShownFor = null;  // the stroke count they were last shown for: once per change, not per frame
function showToolsState() {
  const count = pad.strokes.length;
  if (count === toolsShownFor) return;
  toolsShownFor = count;
  for (const button of toolButtons) button.setAttribute('aria-disabled', String(count === 0));
  describePad();
}

function describePad() {
  const count = pad.strokes.length;
  padCanvas.setAttribute('aria-label', document.body.dataset.state === 'error' ? i18n.t('pad.off') :
    count ? i18n.t('pad.strokes', { count }) : i18n.t('pad.label'));
}

let lastResult = null;

// The pad changed (web/pad.js's onChange), or the page asks for the answer again (final).
//
// While a finger draws, and at a stroke's end, the answer comes in steps, a frame apart, so that a
// slow tablet does not do all of it in one long task (nor lay out and paint all of it in one
// frame): first what a child looks at (the guesses, the bars, the headline); then an open view
// ("How does it decide?", showing the newest answer: see showInside()); then, at a stroke's end,
// what follows from it (settle(): the label row, a challenge's verdict, the charts' words for
// screen readers). Undo, Clear, a loaded drawing and a view's own rerun show everything at once.
function update(final, frameMs = 0, strokeEnded = false) {
  showToolsState();
  if (!engine || document.body.dataset.state === 'error') return;
  const start = performance.now();
  if (liveShownNext && frameMs > 20) liveAllowedAt = Math.max(liveAllowedAt, start + 10 * frameMs);
  liveShownNext = false;
  if (!final) {
    clearTimeout(announceTimer);  // still drawing: not the moment to speak
    if (start < liveAllowedAt) return;
  }
  // Whether there is anything to read is the core's call (its ink threshold), even after Clear.
  let result;
  try {
    const { data, width, height } = pad.pixels();
    result = inside.open ? engine.explain(data, width, height, { model: inside.modelId, tree: inside.tree }) :
      engine.predict(data, width, height);
  } catch (error) {
    showError(error);
    return;
  }
  const end = performance.now();
  liveAllowedAt = end + (end - start);
  liveShownNext = !final;
  lastResult = result;
  const now = final && !strokeEnded;  // everything at once
  panels.forEach((panel, i) => panel.show(result.empty ? null : result.models[i], now));
  seen.show(result.empty ? null : result.image);
  showVerdict(verdictOf(result));
  if (now) {
    inside.update(result, final);
    settle(result);
  } else {
    classroom.update(result, false);  // drawing: no label row
    const frames = inside.open ? 2 : 1;  // the view's frame first
    if (inside.open) showInside(result, final);
    // Unless the page has moved on to another answer by then.
    if (final) afterFrame(() => { if (lastResult === result) settle(result); }, frames);
  }
  setState('ready', result.empty ? 'status.empty' : null);
}

// Runs `fn` in a task of its own once the next frame (or the next `frames`) has been drawn.
function afterFrame(fn, frames = 1) {
  requestAnimationFrame(() => setTimeout(frames > 1 ? () => afterFrame(fn, frames - 1) : fn));
}

// The open view shows an answer a frame after the panels do: the newest one by then, so that
// answers coming every frame (a fast machine) are all shown, one frame late, and none twice.
let insideNext = null;
function showInside(result, final) {
  const scheduled = insideNext !== null;
  insideNext = { result, final };
  if (scheduled) return;
  afterFrame(() => {
    const { result: newest, final: isFinal } = insideNext;
    insideNext = null;
    if (newest === lastResult) inside.update(newest, isFinal);
  });
}

// The rest of a final answer (see update()).
function settle(result) {
  panels.forEach((panel) => panel.describe());
  classroom.update(result, true);
  challenge.update(result, true);
  scheduleAnnouncement();
}

// The game of the open house: can you make the machines disagree? Whatever the number of models,
// and with only those that work.
function verdictOf(result) {
  if (result.empty) return { kind: 'none' };
  const working = result.models.map((m, i) => [m, engine.models[i]]).filter(([m]) => m);
  const guesses = working.map(([m]) => m.prediction);
  const answers = new Set(guesses).size;
  if (working.length === 1) return { kind: 'single', digit: guesses[0], model: working[0][1] };
  return { kind: answers === 1 ? 'agree' : answers === guesses.length ? 'all-differ' : 'split',
           digit: guesses[0], count: answers };
}

const kVerdictWords = {
  none: () => i18n.t('headline.none'),
  single: ({ digit, model }) => i18n.t('headline.single', { name: modelWords(model).name, digit }),
  agree: ({ digit }) => i18n.t('headline.agree', { digit }),
  split: () => i18n.t('headline.split'),
  'all-differ': ({ count }) => i18n.t('headline.allDiffer', { count }),
  error: () => i18n.t('headline.error'),
};

function showVerdict(v) {
  shown.verdict = v;
  if (verdict.dataset.verdict !== v.kind) verdict.dataset.verdict = v.kind;
  setText(verdict, kVerdictWords[v.kind](v));
}

// For screen readers: one sentence once the drawing pauses, with every guess and the headline.
let announceTimer = 0;
function scheduleAnnouncement() {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    if (!lastResult || pad.active) return;
    document.getElementById('announce').textContent = announcement(lastResult);
  }, kAnnounceAfterMs);
}

function announcement(result) {
  if (result.empty) return i18n.t('announce.empty');
  const guesses = engine.models.map((model, i) => {
    const name = modelWords(model).name;
    const guess = result.models[i];
    return guess ? i18n.t('announce.guess', { name, digit: guess.prediction,
                                              percent: i18n.percent(guess.confidence) }) :
      i18n.t('announce.cannot', { name });
  });
  return i18n.t('announce.result', { guesses: i18n.list(guesses), headline: verdict.textContent });
}

const pad = new Pad(padCanvas, update);
// The classroom game (web/classroom.js): the label row after a stroke, the scores, "Our class".
const classroom = new Classroom({ tools: document.querySelector('.tools'), pad,
                                  openButton: document.querySelector('[data-action="class"]'),
                                  onLabel: (label, result) => challenge.labelled(label, result) });
// Challenges (web/challenge.js): rounds of prompts in the headline's place, started from "Our class".
const challenge = new Challenge({ header: document.querySelector('header'), dialog: classroom.dialog, pad,
                                  addTeacherControl: (control) => classroom.addTeacherControl(control) });
showToolsState();
// Booth mode (web/booth.js): big words for a crowd, and the pad clears itself between children.
new Booth({ pad, addTeacherControl: (control) => classroom.addTeacherControl(control),
            onAttract: () => challenge.abandon() });

document.addEventListener('click', (e) => {
  const action = e.target.closest('[data-action]')?.dataset.action;
  if (document.body.dataset.state === 'error') return;
  if (action === 'clear') pad.clear();
  else if (action === 'undo') pad.undo();
  else if (action === 'close-inside') inside.close();
  else if (action === 'inside') {
    const id = e.target.closest('[data-model]')?.dataset.model;
    const model = engine?.models.find((m) => m.id === id);
    if (model && hasInside(model)) inside.show(model, e.target.closest('[data-action]'));
  }
});

// Keyboard: Escape closes an open "How does it decide?" view, or else clears; Ctrl/Cmd+Z undoes
// the last stroke. No single-key shortcuts (WCAG
// 2.1.4): a child leaning on a keyboard, or typing, must not wipe a drawing.
document.addEventListener('keydown', (e) => {
  if (e.altKey || e.target.closest?.('input, textarea, select')) return;
  if (document.querySelector('dialog[open]')) return;  // Escape closes the dialog, not the drawing
  const key = e.key.toLowerCase();
  if (key === 'escape' && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
    if (inside.open) inside.close();
    else pad.clear();
  } else if (key === 'z' && (e.ctrlKey || e.metaKey) && !e.shiftKey) {
    pad.undo();
  } else {
    return;
  }
  e.preventDefault();
});

// Another language picked: everything on show, said again in it.
document.addEventListener('digitdrawer:language', () => {
  panels.forEach((panel) => panel.relabel());
  seen.relabel();
  inside.relabel();
  classroom.relabel();
  challenge.relabel();
  showVerdict(shown.verdict);
  if (shown.error) {
    showError(shown.error);
  } else {
    setState(document.body.dataset.state, shown.status);
  }
  describePad();
});

setState('loading', 'status.loading');
createEngine(kOneFile ? { readFile: embeddedFiles(document) } : {}).then((loaded) => {
  engine = loaded;
  showModels(engine.models);
  classroom.attach(engine.models, panels);
  challenge.attach(engine.models);
  update(true);
  // Only a page that works is kept for offline use.
  if (document.body.dataset.state === 'ready') {
    keepForOffline({ oneFile: kOneFile, padEmpty: () => pad.strokes.length === 0 });
  }
}, showError);
