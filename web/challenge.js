// Challenges: a round of five prompts, one at a time, in the headline's place ("Make the random
// forest say 7!"), from a warm-up to the hardest: all three say a digit, one machine says a
// digit, fool one machine (another must still see the digit), make all three disagree, fool all
// three with a real digit (told with the label row). Each prompt is judged at the end of each
// stroke (the last one when the child tells what they drew) with the machines' own answers; a
// win scores 10 points times the wins in a row (the streak); a prompt can be skipped, the round
// stopped. No timer: a slow drawer takes the time they need. At the end, the results: the
// round's drawings, what each prompt was, won or skipped, the points and the best streak.
//
// Started from "Our class" (web/classroom.js's dialog, its "Challenges" section, added here);
// a teacher can turn challenges off there (kept on this device). Display and rules only: the
// answers come from the page's results (web/app.js), the words from the message catalogues.
//
// Contract (README "Browser-test contract"):
//   [data-action="challenge-start"]      starts a round (in "Our class")
//   [data-action="challenges-enabled"]   the teacher's checkbox: challenges on or off
//   [data-challenge]                     the prompt, while a round runs, with data-rule
//       (agree | say | fool | disagree | fool-all), data-machine (say, fool: a model id; not
//       data-model, which names the panels), data-digit (all but disagree), data-step (1..5),
//       data-points, data-streak, data-won ("true" once won)
//   [data-action="challenge-next" | "challenge-skip" | "challenge-stop"]
//   [data-challenge-results] (a dialog) with data-points, data-won, data-best-streak, and one
//       [data-round-drawing] per prompt with data-rule and data-won
//   document.documentElement.dataset.challengeRound: "on" while a round runs (data-challenge-round)
import { element } from './classroom.js';
import { drawStrokes } from './pad.js';
import { modelWords } from './panels.js';

const i18n = self.digitDrawerI18n;

const kRound = ['agree', 'say', 'fool', 'disagree', 'fool-all'];
const kPointsPerWin = 10;
const kStorageKey = 'digit-drawer-challenges';  // "off": the teacher turned them off
const kThumbSide = 64;  // CSS px

function savedEnabled() {
  try {
    return localStorage.getItem(kStorageKey) !== 'off';
  } catch {
    return true;  // storage refused: challenges stay on, as they start
  }
}

const randomInt = (n) => Math.floor(Math.random() * n);

// Whether `result` (a final, non-empty prediction) meets `prompt` ({ rule, model, digit }), and
// the machine or answers that the "not yet" words talk about. `models`: engine.models.
export function judge(prompt, result, models, label = null) {
  const answers = models.map((m, i) => [m, result.models[i]]).filter(([, g]) => g);
  const said = (id) => answers.find(([m]) => m.id === id)?.[1].prediction;
  switch (prompt.rule) {
    case 'agree': return answers.every(([, g]) => g.prediction === prompt.digit);
    case 'say': return said(prompt.model) === prompt.digit;
    case 'fool': return said(prompt.model) !== prompt.digit &&
      answers.some(([m, g]) => m.id !== prompt.model && g.prediction === prompt.digit);
    case 'disagree': return new Set(answers.map(([, g]) => g.prediction)).size === answers.length;
    case 'fool-all': return label === prompt.digit &&
      answers.every(([, g]) => g.prediction !== prompt.digit);
    default: return false;
  }
}

export class Challenge {
  // header: where the prompt goes (the headline's place); dialog: "Our class"; pad: web/pad.js;
  // addTeacherControl(element): puts the on/off switch among the teacher's controls.
  constructor({ header, dialog, pad, addTeacherControl }) {
    this.pad = pad;
    this.models = [];
    this.round = null;  // { prompts: [{ rule, model, digit, won, strokes, said }], step, points, streak, best }
    this.enabled = savedEnabled();
    this.#buildBar(header);
    this.#buildDialogParts(dialog, addTeacherControl);
    this.#buildResults();
    this.#render();
  }

  attach(models) {
    this.models = models;
    this.#render();
  }

  get running() { return Boolean(this.round); }
  get #prompt() { return this.round?.prompts[this.round.step] ?? null; }

  // Every prediction: a final one (a stroke's end, Undo, Clear) with ink is judged.
  update(result, final) {
    if (final) this.lastResult = result;
    const prompt = this.#prompt;
    if (!final || !prompt || prompt.won) return;
    if (result.empty) {
      // The pad cleared itself after a label: what was said of that drawing stays up.
      if (!this.labelSaid) this.#feedback(this.#hint(prompt));
      this.labelSaid = false;
      return;
    }
    this.labelSaid = false;
    if (prompt.rule !== 'fool-all' && judge(prompt, result, this.models)) this.#win(result);
    else this.#feedback(this.#notYet(prompt, result));
  }

  // The label row was tapped (web/classroom.js): the last prompt is judged on what was drawn.
  labelled(label, result) {
    const prompt = this.#prompt;
    if (!prompt || prompt.won || prompt.rule !== 'fool-all' || !result || result.empty) return;
    if (judge(prompt, result, this.models, label)) {
      this.#win(result);
    } else {
      this.#keep(prompt, result);  // the pad clears after a label: the try is kept for the results
      this.#feedback(this.#notYet(prompt, result, label));
    }
    this.labelSaid = true;
  }

  relabel() {
    const prompt = this.#prompt;
    this.#render();
    if (prompt && !prompt.won) this.#feedback(this.#hint(prompt));
  }

  // ---- The round ----

  start() {
    if (!this.enabled || !this.models.length) return;
    const working = this.models.filter((m) => !m.error);
    if (!working.length) return;
    const pick = () => working[randomInt(working.length)].id;
    const prompts = kRound.map((rule) => {
      // One or two machines working: nothing to disagree or to referee a fooled machine.
      if (working.length < 2 && (rule === 'fool' || rule === 'disagree')) rule = 'say';
      return { rule, model: rule === 'say' || rule === 'fool' ? pick() : null,
               digit: rule === 'disagree' ? null : randomInt(10), won: false, strokes: [], said: [] };
    });
    this.round = { prompts, step: 0, points: 0, streak: 0, best: 0 };
    document.documentElement.dataset.challengeRound = 'on';
    this.#render();
    this.pad.clear();
    this.promptText.focus({ preventScroll: true });
  }

  #win(result) {
    const round = this.round;
    const prompt = this.#prompt;
    prompt.won = true;
    round.streak += 1;
    round.best = Math.max(round.best, round.streak);
    const points = kPointsPerWin * round.streak;
    round.points += points;
    this.#keep(prompt, result);
    this.#feedback(i18n.t(round.streak > 1 ? 'challenge.wonStreak' : 'challenge.won',
                          { count: points, streak: round.streak }));
    this.#render();
    this.nextButton.focus({ preventScroll: true });
  }

  // What the prompt's drawing was, for the results: its strokes and the machines' answers.
  #keep(prompt, result) {
    prompt.strokes = this.pad.strokes.map((stroke) => stroke.map(([x, y]) => [x, y]));
    prompt.said = result && !result.empty ? this.models.map((m, i) => [m, result.models[i]])
      .filter(([, g]) => g).map(([m, g]) => ({ model: m, digit: g.prediction })) : [];
  }

  next() {
    const round = this.round;
    if (!round) return;
    const prompt = this.#prompt;
    if (!prompt.won) {  // skipped: what is on the pad, or else the last labelled try
      if (this.pad.strokes.length || !prompt.strokes.length) this.#keep(prompt, this.lastResult);
      round.streak = 0;
    }
    round.step += 1;
    if (round.step >= round.prompts.length) this.#finish();
    else this.#render();
    this.pad.clear();  // its final (empty) prediction puts the new prompt's hint up
  }

  // Nobody is playing any more (a booth's attract screen): the round ends without its results.
  abandon() {
    if (this.round) this.#end();
  }

  stop() {
    if (!this.round) return;
    const done = this.round.prompts.slice(0, this.round.step + (this.#prompt?.won ? 1 : 0));
    if (done.length) {
      this.round.prompts = done;
      this.#finish();
    } else {
      this.#end();
    }
  }

  #finish() {
    const round = this.round;
    this.#end();
    this.#showResults(round);
  }

  #end() {
    this.round = null;
    delete document.documentElement.dataset.challengeRound;
    this.#render();
  }

  // ---- The prompt, in the headline's place ----

  #buildBar(header) {
    this.bar = element('section', { class: 'challenge', 'data-challenge': '', hidden: '',
                                    'aria-labelledby': 'challenge-prompt' });
    this.promptText = element('p', { class: 'challenge-prompt', id: 'challenge-prompt', tabindex: '-1' });
    this.feedbackText = element('p', { class: 'challenge-feedback', role: 'status' });
    this.progress = element('p', { class: 'challenge-progress' });
    this.nextButton = element('button', { type: 'button', 'data-action': 'challenge-next', hidden: '' });
    this.skipButton = element('button', { type: 'button', 'data-action': 'challenge-skip' });
    this.stopButton = element('button', { type: 'button', 'data-action': 'challenge-stop' });
    this.bar.append(this.promptText, this.feedbackText,
                    element('div', { class: 'challenge-row' },
                            [this.progress, this.nextButton, this.skipButton, this.stopButton]));
    this.nextButton.addEventListener('click', () => this.next());
    this.skipButton.addEventListener('click', () => this.next());
    this.stopButton.addEventListener('click', () => this.stop());
    header.append(this.bar);
  }

  // The line under a prompt before anything is drawn: how a rule is judged, where it needs saying.
  #hint(prompt) {
    if (prompt.rule === 'fool') return i18n.t('challenge.foolHint', { digit: prompt.digit });
    if (prompt.rule === 'fool-all') return i18n.t('challenge.tellUs', { digit: prompt.digit });
    return '';
  }

  #feedback(text) {
    if (this.feedbackText.textContent !== text) this.feedbackText.textContent = text;
  }

  #name(id) {
    const model = this.models.find((m) => m.id === id);
    return model ? modelWords(model).name : id;
  }

  #promptWords(prompt) {
    const words = { digit: prompt.digit, name: prompt.model ? this.#name(prompt.model) : '' };
    return i18n.t(`challenge.rule.${prompt.rule}`, words);
  }

  #notYet(prompt, result, label = null) {
    const answers = this.models.map((m, i) => [m, result.models[i]]).filter(([, g]) => g);
    const list = i18n.list(answers.map(([m, g]) => i18n.t('challenge.said',
                                                        { name: modelWords(m).name, digit: g.prediction })));
    if (prompt.rule === 'fool-all') {
      if (label === null) return `${i18n.t('challenge.notYet', { list })} ${this.#hint(prompt)}`;
      return label === prompt.digit ? i18n.t('challenge.notYetFoolAll', { list, digit: prompt.digit }) :
        i18n.t('challenge.notThatDigit', { digit: prompt.digit });
    }
    return i18n.t('challenge.notYet', { list });
  }

  #render() {
    const t = i18n.t;
    const round = this.round;
    const prompt = this.#prompt;
    this.bar.hidden = !prompt;
    this.startButton.disabled = !this.models.length;
    this.startSection.hidden = !this.enabled;
    this.enabledBox.checked = this.enabled;
    this.startTitle.textContent = t('challenge.title');
    this.startAbout.textContent = t('challenge.about');
    this.startButton.textContent = t('challenge.start');
    this.enabledText.textContent = t('challenge.enabled');
    this.nextButton.textContent = t('challenge.next');
    this.skipButton.textContent = t('challenge.skip');
    this.stopButton.textContent = t('challenge.stop');
    if (!prompt) return;
    const data = this.bar.dataset;
    data.rule = prompt.rule;
    data.machine = prompt.model ?? '';
    data.digit = prompt.digit === null ? '' : String(prompt.digit);
    data.step = String(round.step + 1);
    data.points = String(round.points);
    data.streak = String(round.streak);
    data.won = String(prompt.won);
    this.promptText.textContent = this.#promptWords(prompt);
    this.progress.textContent = t('challenge.progress', {
      step: round.step + 1, steps: round.prompts.length, count: round.points });
    this.nextButton.hidden = !prompt.won;
    this.skipButton.hidden = prompt.won;
    this.nextButton.textContent = round.step + 1 < round.prompts.length ? t('challenge.next') :
      t('challenge.results');
  }

  // ---- "Our class": start, and the teacher's switch ----

  #buildDialogParts(dialog, addTeacherControl) {
    this.startTitle = element('h3', { id: 'challenge-start-title' });
    this.startAbout = element('p', { class: 'challenge-about' });
    this.startButton = element('button', { type: 'button', 'data-action': 'challenge-start' });
    this.startSection = element('section', { class: 'classroom-challenge',
                                             'aria-labelledby': 'challenge-start-title' },
                                [this.startTitle, this.startAbout, this.startButton]);
    this.startButton.addEventListener('click', () => {
      dialog.close();
      this.start();
    });
    this.enabledBox = element('input', { type: 'checkbox', 'data-action': 'challenges-enabled' });
    this.enabledText = element('span');
    const toggle = element('label', { class: 'challenge-enabled' }, [this.enabledBox, this.enabledText]);
    this.enabledBox.addEventListener('change', () => {
      this.enabled = this.enabledBox.checked;
      try {
        if (this.enabled) localStorage.removeItem(kStorageKey);
        else localStorage.setItem(kStorageKey, 'off');
      } catch { /* not kept: it holds until the page is reloaded */ }
      if (!this.enabled) this.#end();
      this.#render();
    });
    const scores = dialog.querySelector('.classroom-scores');
    scores.before(this.startSection);
    addTeacherControl(toggle);
  }

  // ---- The results ----

  #buildResults() {
    const dialog = this.results = element('dialog', { class: 'challenge-results', 'data-challenge-results': '',
                                                      'aria-labelledby': 'challenge-results-title' });
    dialog.innerHTML = `
      <h2 id="challenge-results-title" tabindex="-1"></h2>
      <p class="results-score"></p>
      <ul class="results-list"></ul>
      <div class="results-buttons">
        <button type="button" data-action="challenge-again"></button>
        <button type="button" data-action="challenge-close"></button>
      </div>`;
    dialog.querySelector('[data-action="challenge-again"]').addEventListener('click', () => {
      dialog.close();
      this.start();
    });
    dialog.querySelector('[data-action="challenge-close"]').addEventListener('click', () => dialog.close());
    document.body.append(dialog);
  }

  #showResults(round) {
    const t = i18n.t;
    const dialog = this.results;
    const won = round.prompts.filter((p) => p.won).length;
    dialog.dataset.points = String(round.points);
    dialog.dataset.won = String(won);
    dialog.dataset.bestStreak = String(round.best);
    dialog.querySelector('#challenge-results-title').textContent =
      t(won === round.prompts.length ? 'challenge.resultsAll' : 'challenge.resultsTitle');
    dialog.querySelector('.results-score').textContent = [
      t('challenge.score', { won, count: round.prompts.length }),
      t('challenge.points', { count: round.points, streak: round.best })].join(' ');
    dialog.querySelector('[data-action="challenge-again"]').textContent = t('challenge.again');
    dialog.querySelector('[data-action="challenge-close"]').textContent = t('challenge.close');
    dialog.querySelector('.results-list').replaceChildren(...round.prompts.map((prompt) => {
      const canvas = element('canvas', { 'aria-hidden': 'true' });
      const side = Math.round(kThumbSide * devicePixelRatio);
      canvas.width = canvas.height = side;
      drawStrokes(canvas.getContext('2d'), side, prompt.strokes);
      const said = prompt.said.map(({ model, digit }) =>
        element('li', {}, [t('challenge.said', { name: modelWords(model).name, digit })]));
      return element('li', { 'data-round-drawing': '', 'data-rule': prompt.rule, 'data-won': String(prompt.won),
                             class: prompt.won ? 'won' : 'skipped' }, [
        canvas,
        element('div', { class: 'results-words' }, [
          element('strong', {}, [this.#promptWords(prompt)]),
          element('span', { class: 'results-mark' }, [t(prompt.won ? 'challenge.markWon' : 'challenge.markSkipped')]),
          element('ul', {}, said),
        ]),
      ]);
    }));
    dialog.showModal();
    // From the top: the title and the score first, then the drawings (a phone scrolls to them).
    dialog.querySelector('#challenge-results-title').focus();
    dialog.scrollTop = 0;
  }
}
