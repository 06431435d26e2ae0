// The classroom game: the children tell the machines what they drew, and the page keeps score.
//   - the label row: after a stroke with ink, ten digit buttons and "not a digit"; a tap keeps the
//     drawing (web/drawings.js, on this device only) and clears the pad for the next child;
//     skipping is always allowed (keep drawing, or clear);
//   - the scoreboard: in each model's panel, its right answers out of the labelled digits;
//   - "Our class" (a dialog): the scores in sentences, the hall of tricks (the drawings that fooled
//     a machine: tap one to put it back on the pad) and the teacher's controls: download the
//     drawings (web/classroom-export.js), reset the scores, forget everything (each asks first).
// Display and storage calls only: the guesses come from the page's last result (web/app.js), the
// words from the message catalogues.
//
// Contract (README "Browser-test contract"):
//   [data-action="label"][data-digit="0".."9" | "none"]   keep the drawing with that label
//   [data-score="<model id>"][data-right][data-total]      one per model (labelled digits only)
//   [data-score-nondigit][data-total]                      the "not a digit" drawings
//   [data-gallery] > [data-drawing]                        one per trick in the hall
//   [data-action="class"] opens "Our class"; [data-action="export" | "reset-scores" | "forget"]
//   document.body.dataset.storage: 'ok', 'full' or 'unavailable' (the last keeping failed)
import { Drawings, StorageError, emptyScores, grayFromRgba, isTrick, kMaxDrawings } from './drawings.js';
import { downloadDrawings } from './classroom-export.js';
import { drawStrokes } from './pad.js';
import { setHidden } from './dom.js';
import { modelWords } from './panels.js';

const i18n = self.digitDrawerI18n;

// The hall shows this many tricks, the latest first (a whole afternoon's tricks would be a long
// page of thumbnails; every drawing still goes into the download).
export const kHallSize = 100;
const kThumbSide = 64;  // CSS px


// A new element with its attributes and children (the classroom's and the challenges' markup).
export function element(name, attributes = {}, children = []) {
  const e = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) e.setAttribute(key, value);
  e.append(...children);
  return e;
}

export class Classroom {
  // tools: the pad's tools row (the label row goes in it); pad: web/pad.js's Pad; onLabel(label,
  // result): a drawing was kept with that label (the challenges judge their last prompt by it).
  constructor({ tools, pad, openButton, onLabel = () => {} }) {
    this.pad = pad;
    this.onLabel = onLabel;
    this.models = [];            // engine.models
    this.panels = [];
    this.result = null;          // the last final result, the one a label refers to
    this.loaded = null;          // the strokes put back from the hall, until the pad changes
    this.scores = emptyScores();
    this.drawings = [];          // every kept drawing, oldest first
    this.storage = null;         // a Drawings, once open
    this.problem = null;         // a StorageError's reason, shown until the next keeping works
    this.dropped = false;        // the oldest drawings went to make room
    this.busy = false;
    this.tools = tools;
    this.openButton = openButton;
    this.#buildLabelRow();
    this.#buildDialogs();
    this.ready = this.#open();
  }

  async #open() {
    try {
      this.storage = await Drawings.open();
      [this.scores, this.drawings] = await Promise.all([this.storage.scores(), this.storage.all()]);
    } catch (error) {
      this.#failed(error);
    }
    this.#render();
  }

  // The engine's models and their panels (web/panels.js ModelPanel), once loaded: each panel gets
  // its score.
  attach(models, panels) {
    this.models = models;
    this.panels = panels;
    this.badges = panels.map((panel) => {
      const badge = element('p', { class: 'score', 'data-score': panel.model.id });
      panel.element.append(badge);
      return badge;
    });
    this.#render();
  }

  // Every prediction of the page: `final` ones after a stroke, Undo or Clear. The label row shows
  // after a stroke with ink, while no finger is on the pad, unless the drawing came from the hall.
  update(result, final) {
    if (final) this.result = result;
    if (this.loaded && (this.pad.strokes !== this.loaded.strokes ||
                        this.pad.strokes.length !== this.loaded.count)) this.loaded = null;
    const show = final && !result.empty && !this.pad.active && !this.loaded;
    setHidden(this.labelRow, !show);
    this.tools.classList.toggle('labelling', show);
  }

  relabel() {
    this.#render();
  }

  // Another module's switch among the teacher's controls (web/booth.js's booth mode).
  addTeacherControl(control) {
    this.parts.exportStatus.before(control);
  }

  // ---- The label row ----
  #buildLabelRow() {
    const row = this.labelRow = element('div', { class: 'label-row', role: 'group', hidden: '' });
    this.labelPrompt = element('p', { class: 'label-prompt', id: 'label-prompt' });
    row.setAttribute('aria-labelledby', 'label-prompt');
    row.append(this.labelPrompt);
    this.labelButtons = [...Array.from({ length: 10 }, (_, d) => String(d)), 'none'].map((digit) => {
      const button = element('button', { type: 'button', 'data-action': 'label', 'data-digit': digit });
      button.addEventListener('click', () => this.#label(digit === 'none' ? 'none' : Number(digit)));
      return button;
    });
    // On a phone the label row takes the tools' place: its own Clear, to skip.
    this.skipButton = element('button', { type: 'button', class: 'label-skip', 'data-action': 'label-skip' });
    this.skipButton.addEventListener('click', () => this.pad.clear());
    row.append(...this.labelButtons, this.skipButton);
    this.tools.append(row);
  }

  async #label(label) {
    if (this.busy || !this.result || this.result.empty || this.pad.active) return;
    this.busy = true;
    const guesses = {};
    this.models.forEach((model, i) => {
      const guess = this.result.models[i];
      if (guess) guesses[model.id] = { digit: guess.prediction, confidence: guess.confidence };
    });
    try {
      await this.ready;
      if (!this.storage) throw new StorageError('unavailable', 'not open');
      const { drawing, scores, dropped } = await this.storage.add({
        label, strokes: this.pad.strokes.map((stroke) => stroke.map(([x, y]) => [x, y])),
        gray: grayFromRgba(this.pad.pixels().data), guesses,
      });
      this.scores = scores;
      this.drawings.push(drawing);
      if (dropped) {
        this.drawings.splice(0, dropped);
        this.dropped = true;
      }
      this.problem = null;
      document.body.dataset.storage = 'ok';
      this.#say(label === 'none' ? i18n.t('label.keptNone') : i18n.t('label.kept', { digit: label }));
      this.onLabel(label, this.result);  // before the pad clears: its strokes are the drawing's
      this.pad.clear();  // ready for the next child
    } catch (error) {
      this.#failed(error);  // the drawing stays on the pad: nothing is lost unsaid
    } finally {
      this.busy = false;
      this.#render();
    }
  }

  #failed(error) {
    console.warn(error);
    this.problem = error instanceof StorageError ? error.reason : 'unavailable';
    document.body.dataset.storage = this.problem;
    this.#render();
    this.#note(i18n.t(`storage.${this.problem}`));
  }

  // ---- "Our class" and the confirmation ----
  #buildDialogs() {
    const dialog = this.dialog = element('dialog', { class: 'classroom', 'aria-labelledby': 'classroom-title' });
    dialog.innerHTML = `
      <div class="classroom-head">
        <h2 id="classroom-title"></h2>
        <button type="button" data-action="close-class"></button>
      </div>
      <p class="storage-problem" role="alert" hidden></p>
      <section class="classroom-scores" aria-labelledby="classroom-scores-title">
        <h3 id="classroom-scores-title"></h3>
        <ul class="score-lines"></ul>
        <p class="score-nondigit" data-score-nondigit data-total="0"></p>
      </section>
      <section class="classroom-tricks" aria-labelledby="classroom-tricks-title">
        <h3 id="classroom-tricks-title"></h3>
        <p class="tricks-about"></p>
        <ul class="gallery" data-gallery></ul>
      </section>
      <section class="classroom-teacher" aria-labelledby="classroom-teacher-title">
        <h3 id="classroom-teacher-title"></h3>
        <p class="storage-kept"></p>
        <div class="teacher-tools">
          <button type="button" data-action="export"></button>
          <button type="button" data-action="reset-scores"></button>
          <button type="button" data-action="forget"></button>
        </div>
        <p class="export-status" role="status"></p>
      </section>`;
    const q = (selector) => dialog.querySelector(selector);
    this.parts = {
      title: q('#classroom-title'), close: q('[data-action="close-class"]'), problem: q('.storage-problem'),
      scoresTitle: q('#classroom-scores-title'), lines: q('.score-lines'), nondigit: q('[data-score-nondigit]'),
      tricksTitle: q('#classroom-tricks-title'), tricksAbout: q('.tricks-about'), gallery: q('[data-gallery]'),
      teacherTitle: q('#classroom-teacher-title'), kept: q('.storage-kept'),
      export: q('[data-action="export"]'), reset: q('[data-action="reset-scores"]'),
      forget: q('[data-action="forget"]'), exportStatus: q('.export-status'),
    };
    this.parts.close.addEventListener('click', () => dialog.close());
    this.parts.export.addEventListener('click', () => this.#export());
    this.parts.reset.addEventListener('click', () => this.#ask('score.resetAsk', 'score.resetYes', async () => {
      await this.storage?.resetScores();
      this.scores = emptyScores();
    }));
    this.parts.forget.addEventListener('click', () => this.#ask('storage.forgetAsk', 'storage.forgetYes', async () => {
      await this.storage?.forget();
      this.scores = emptyScores();
      this.drawings = [];
      this.dropped = false;
    }));
    this.parts.gallery.addEventListener('click', (e) => {
      const id = Number(e.target.closest('[data-drawing]')?.dataset.drawing);
      const drawing = this.drawings.find((d) => d.id === id);
      if (drawing) this.#putBack(drawing);
    });
    this.openButton.addEventListener('click', () => {
      if (document.body.dataset.state === 'error') return;
      this.#render();
      dialog.showModal();
    });

    const confirm = this.confirmDialog = element('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-question' });
    confirm.innerHTML = `
      <p id="confirm-question"></p>
      <div class="confirm-buttons">
        <button type="button" data-action="confirm-no" autofocus></button>
        <button type="button" class="danger" data-action="confirm-yes"></button>
      </div>`;
    this.confirmParts = { question: confirm.querySelector('#confirm-question'),
                          no: confirm.querySelector('[data-action="confirm-no"]'),
                          yes: confirm.querySelector('[data-action="confirm-yes"]') };
    this.confirmParts.no.addEventListener('click', () => confirm.close('no'));
    this.confirmParts.yes.addEventListener('click', () => confirm.close('yes'));

    this.live = element('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.toast = element('p', { class: 'storage-note', role: 'alert', hidden: '' });
    document.body.append(dialog, confirm, this.live, this.toast);
  }

  // Asks `questionKey` in the page's own dialog (window.confirm can be neither translated nor
  // tested); on yes, does `action`.
  #ask(questionKey, yesKey, action) {
    const { question, no, yes } = this.confirmParts;
    question.textContent = i18n.t(questionKey);
    yes.textContent = i18n.t(yesKey);
    no.textContent = i18n.t('storage.cancel');
    this.confirmDialog.returnValue = '';
    this.confirmDialog.addEventListener('close', async () => {
      if (this.confirmDialog.returnValue !== 'yes') return;
      try {
        await action();
      } catch (error) {
        this.#failed(error);
      }
      this.#render();
    }, { once: true });
    this.confirmDialog.showModal();
  }

  #putBack(drawing) {
    this.dialog.close();
    this.pad.load(drawing.strokes);
    this.loaded = { strokes: this.pad.strokes, count: this.pad.strokes.length };
    this.update(this.result, true);
    this.#say(i18n.t('tricks.putBack'));
  }

  async #export() {
    if (this.busy) return;
    const status = this.parts.exportStatus;
    if (!this.drawings.length) {
      status.textContent = i18n.t('export.nothing');
      return;
    }
    this.busy = true;
    status.textContent = i18n.t('export.packing');
    try {
      await downloadDrawings(this.drawings);
      status.textContent = i18n.t('export.done', { count: this.drawings.length });
    } catch (error) {
      console.error(error);
      status.textContent = i18n.t('export.failed');
    } finally {
      this.busy = false;
    }
  }

  // ---- Words and numbers on show ----
  #render() {
    const t = i18n.t;
    for (const button of this.labelButtons) {
      const digit = button.dataset.digit;
      if (digit === 'none') {
        button.innerHTML = '<span class="label-symbol" aria-hidden="true">♥</span> <span class="label-none-text"></span>';
        button.querySelector('.label-none-text').textContent = t('label.none');
        button.setAttribute('aria-label', t('label.none'));
      } else {
        button.textContent = i18n.number(Number(digit));
      }
      button.title = digit === 'none' ? t('label.none') : t('label.digitTitle', { digit: Number(digit) });
    }
    this.labelPrompt.textContent = t('label.prompt');
    this.skipButton.innerHTML = '<span aria-hidden="true">✕</span>';
    this.skipButton.setAttribute('aria-label', t('label.skip'));
    this.skipButton.title = t('label.skip');
    this.openButton.querySelector('[data-i18n]').textContent = t('score.open');
    this.openButton.setAttribute('aria-label', t('score.open'));
    this.#renderScores();
    this.#renderDialog();
  }

  #scoreOf(id) {
    return this.scores.models[id] ?? { right: 0, total: 0 };
  }

  #renderScores() {
    (this.badges ?? []).forEach((badge, i) => {
      const model = this.panels[i].model;
      const { right, total } = this.#scoreOf(model.id);
      badge.dataset.right = String(right);
      badge.dataset.total = String(total);
      badge.hidden = total === 0;
      badge.textContent = i18n.t('score.badge', { right, total });
      badge.title = i18n.t('score.line', { name: modelWords(model).name, right, count: total });
    });
  }

  #renderDialog() {
    const t = i18n.t;
    const p = this.parts;
    p.title.textContent = t('score.classTitle');
    p.close.textContent = t('score.close');
    p.problem.hidden = !this.problem;
    p.problem.textContent = this.problem ? t(`storage.${this.problem}`) : '';
    p.scoresTitle.textContent = t('score.title');
    p.lines.replaceChildren(...this.models.map((model) => {
      const { right, total } = this.#scoreOf(model.id);
      return element('li', {}, [total ?
        t('score.line', { name: modelWords(model).name, right, count: total }) :
        t('score.none', { name: modelWords(model).name })]);
    }));
    const nondigits = this.scores.nondigit.total;
    p.nondigit.dataset.total = String(nondigits);
    p.nondigit.textContent = `${t('score.nondigit', { count: nondigits })} ${t('score.nondigitWhy')}`;

    const tricks = this.drawings.filter(isTrick).slice(-kHallSize).reverse();
    p.tricksTitle.textContent = t('tricks.title');
    p.tricksAbout.textContent = tricks.length ? t('tricks.about') : t('tricks.empty');
    p.gallery.replaceChildren(...tricks.map((drawing) => this.#thumbnail(drawing)));

    p.teacherTitle.textContent = t('export.title');
    p.kept.textContent = [t('storage.kept', { count: this.drawings.length, max: kMaxDrawings }),
                          this.dropped ? t('storage.dropped', { max: kMaxDrawings }) : '']
      .filter(Boolean).join(' ');
    p.export.textContent = t('export.download');
    p.reset.textContent = t('score.reset');
    p.forget.textContent = t('storage.forget');
  }

  #thumbnail(drawing) {
    const canvas = element('canvas', { 'aria-hidden': 'true' });
    const side = Math.round(kThumbSide * devicePixelRatio);
    canvas.width = canvas.height = side;
    drawStrokes(canvas.getContext('2d'), side, drawing.strokes);
    const said = this.models.filter((m) => drawing.guesses[m.id]).map((model) => {
      const { digit } = drawing.guesses[model.id];
      const fooled = drawing.label === 'none' || digit !== drawing.label;
      return element('li', { class: fooled ? 'fooled' : 'right' },
                     [i18n.t('tricks.said', { name: modelWords(model).name, digit })]);
    });
    const drew = drawing.label === 'none' ? i18n.t('tricks.drewNone') :
      i18n.t('tricks.drew', { digit: drawing.label });
    const button = element('button', { type: 'button', 'data-drawing': String(drawing.id),
                                       title: i18n.t('tricks.putBackTitle') },
                           [canvas, element('span', { class: 'trick-words' },
                                            [element('strong', {}, [drew]), element('ul', {}, said)])]);
    return element('li', {}, [button]);
  }

  #say(text) {
    this.live.textContent = text;
  }

  // A sentence over the title for a few seconds (as the offline note), and in "Our class" until
  // the next keeping works.
  #note(text) {
    this.toast.textContent = text;
    this.toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { this.toast.hidden = true; }, 8000);
  }
}
