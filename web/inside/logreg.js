// "How does it decide?" for logistic regression, the pixel scorer: the child's 28x28 drawing
// coloured by each pixel's evidence for one digit (the core's `contribution`, W[d][i] * x[i]:
// blue for, orange against), a sentence saying what it made the machine think, and the ten
// templates (the weights W[d], "what it thinks each digit looks like") as buttons that pick the
// digit whose evidence is shown. Display only: every number comes from the insight arrays
// (native/core/logreg.h, LogRegInsight), read inside show().
//
// One colour scale for the drawing and the templates, fixed per model: full colour at the 95th
// percentile of the weights' size (the few larger ones saturate), weaker ones eased up (gamma). A pixel of ink x has evidence w * x, so
// the coloured drawing is the template seen through the ink, and a pixel already drawn keeps its
// colour while the child goes on drawing (a scale by the frame's largest evidence would repaint
// the whole picture, paler, with every new stroke), and 1's and 7's evidence compare fairly.
//
// Contract (README "Browser-test contract"): the view [data-inside="logreg"] carries data-digit
// (the digit whose evidence is shown: the model's guess, followed live, until a template is
// picked) and data-logit (that digit's logit, 4 decimals); ten buttons [data-template="0".."9"].
const i18n = self.digitDrawerI18n;

const kPixels = 784;
const kClasses = 10;
const kFor = [0x21, 0x66, 0xac];      // #2166ac, 6:1 on white
const kAgainst = [0xb3, 0x58, 0x06];  // #b35806, 4.9:1 on white (blue / orange: colour-blind safe)
const kNeutralInk = 107;              // full ink with no evidence: #949494, 3:1 on white
const kGamma = 0.7;                   // weaker evidence still shows
// The colour's strength for |evidence| / scale in [0, 1], in 256 steps: no pow() per pixel.
const kStrength = Float32Array.from({ length: 256 }, (_, k) => (k / 255) ** kGamma);

const kTemplate = `
  <div class="lr-main">
    <canvas class="lr-picture" width="28" height="28" role="img"></canvas>
    <div class="lr-words">
      <p class="lr-line"></p>
      <ul class="lr-legend">
        <li><span class="lr-swatch lr-for" aria-hidden="true"></span><span class="lr-for-text"></span></li>
        <li><span class="lr-swatch lr-against" aria-hidden="true"></span><span class="lr-against-text"></span></li>
        <li><span class="lr-swatch lr-neutral" aria-hidden="true"></span><span class="lr-neutral-text"></span></li>
      </ul>
      <button type="button" class="lr-follow" data-follow-guess hidden></button>
    </div>
  </div>
  <div class="lr-templates" role="group" aria-labelledby="lr-templates-title">
    <h3 id="lr-templates-title" class="lr-templates-title"></h3>
    <div class="lr-template-grid"></div>
  </div>
  <details class="lr-numbers">
    <summary></summary>
    <p class="lr-how"></p>
    <p class="lr-sum"></p>
    <p class="lr-scores"></p>
    <ol class="lr-score-list"></ol>
  </details>`;

export default class LogRegView {
  constructor(body, { rerun }) {
    this.rerun = rerun;
    this.section = body.closest('[data-inside]');
    body.innerHTML = kTemplate;
    const $ = (selector) => body.querySelector(selector);
    this.picture = $('.lr-picture');
    this.pictureCtx = this.picture.getContext('2d');
    this.pixels = this.pictureCtx.createImageData(28, 28);
    this.line = $('.lr-line');
    this.legend = { for: $('.lr-for-text'), against: $('.lr-against-text'),
                    neutral: $('.lr-neutral-text') };
    this.follow = $('.lr-follow');
    this.templatesTitle = $('.lr-templates-title');
    this.numbers = $('.lr-numbers');
    this.sum = $('.lr-sum');
    this.scores = $('.lr-scores');
    const list = $('.lr-score-list');
    this.scoreItems = Array.from({ length: kClasses }, () => list.appendChild(document.createElement('li')));
    this.how = $('.lr-how');

    const grid = $('.lr-template-grid');
    this.templates = Array.from({ length: kClasses }, (_, d) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'lr-template';
      button.dataset.template = String(d);
      button.setAttribute('aria-pressed', 'false');
      button.innerHTML = '<canvas width="28" height="28" aria-hidden="true"></canvas>' +
                         '<span class="lr-template-digit"></span>';
      grid.append(button);
      return { button, canvas: button.querySelector('canvas'),
               digit: button.querySelector('.lr-template-digit') };
    });
    this.templatesDrawn = false;
    this.scale = 1;

    this.picked = null;   // the digit the child picked, or null: follow the guess
    this.guess = null;
    // What was last written, so that only what changes is written again.
    this.shown = { digit: null, guess: null, words: null, empty: null };
    this.onClick = (e) => {
      const template = e.target.closest('[data-template]');
      if (template) this.pick(Number(template.dataset.template));
      else if (e.target.closest('[data-follow-guess]')) this.pick(null);
    };
    body.addEventListener('click', this.onClick);
    this.body = body;
    this.numbers.addEventListener('toggle', () => { if (this.numbers.open) this.rerun(); });
    this.show(null, true);
  }

  destroy() { this.body.removeEventListener('click', this.onClick); }

  // d: a digit to show the evidence for, or null to follow the guess. Tapping the guess's own
  // template also goes back to following it.
  pick(d) {
    this.picked = d === null || d === this.guess ? null : d;
    if (this.guess === null) this.picked = d;  // nothing drawn yet: remember the choice
    this.rerun();
  }

  // final (the end of a stroke) changes nothing here: a live frame is drawn whole, and cheaply.
  show(state) {
    const guess = state ? state.guess.prediction : null;
    this.guess = guess;
    const digit = this.picked ?? guess;
    if (!state) {
      if (this.shown.empty !== true) this.clearPicture();
      this.setDigit(digit, '');
      this.setWords(null, digit);
      return;
    }
    const { contribution, logit, templates } = state.insight;
    if (!this.templatesDrawn) this.drawTemplates(templates);
    this.shown.empty = false;
    this.setDigit(digit, logit.data[digit].toFixed(4));
    colour(contribution.data, digit * kPixels, state.image, this.pixels.data, this.scale);
    this.pictureCtx.putImageData(this.pixels, 0, 0);
    this.setWords(guess, digit);
    if (this.numbers.open) this.showNumbers(state.insight, digit);
  }

  relabel() {
    this.templates.forEach(({ digit }, d) => { digit.textContent = i18n.number(d); });
    this.templatesTitle.textContent = i18n.t('inside.logreg.templates');
    this.follow.textContent = i18n.t('inside.logreg.follow');
    this.numbers.querySelector('summary').textContent = i18n.t('inside.logreg.numbers');
    this.how.textContent = i18n.t('inside.logreg.how');
    this.scores.textContent = i18n.t('inside.logreg.scores');
    this.legend.neutral.textContent = i18n.t('inside.logreg.neutral');
    this.shown.words = null;
    this.setWords(this.guess, this.picked ?? this.guess);
    if (this.numbers.open) this.rerun();  // the numbers, in the new language's format
  }

  // ---- Drawing ----

  clearPicture() {
    this.shown.empty = true;
    this.pixels.data.fill(255);
    this.pictureCtx.putImageData(this.pixels, 0, 0);
  }

  // Once: the templates never change (the model's weights), and they set the colour scale.
  drawTemplates(templates) {
    const w = templates.data.subarray(0, kClasses * kPixels);
    const sizes = Float32Array.from(w, Math.abs).sort();
    this.scale = sizes[Math.floor(0.95 * (sizes.length - 1))] || 1;
    const noInk = new Float32Array(kPixels);  // no grey: a template is not ink
    this.templates.forEach(({ canvas }, d) => {
      const ctx = canvas.getContext('2d');
      const picture = ctx.createImageData(28, 28);
      colour(w, d * kPixels, noInk, picture.data, this.scale);
      ctx.putImageData(picture, 0, 0);
    });
    this.templatesDrawn = true;
  }

  // ---- Words and attributes, written only when they change ----

  setDigit(digit, logit) {
    const section = this.section;
    const value = digit === null ? '' : String(digit);
    if (section.dataset.digit !== value) section.dataset.digit = value;
    if (section.dataset.logit !== logit) section.dataset.logit = logit;
  }

  // The sentence, the legend and the names follow the shown digit and the guess; each is written
  // only when what it depends on changed (a live frame mostly changes neither).
  setWords(guess, digit) {
    const shown = this.shown;
    const key = `${guess}|${digit}`;
    if (shown.words === key) return;
    const n = (d) => i18n.number(d);
    this.follow.hidden = this.picked === null || guess === null;
    this.templates.forEach(({ button }, d) => {
      if (shown.words === null || d === shown.digit || d === digit) {
        button.setAttribute('aria-pressed', String(d === digit));
      }
      if (shown.words === null || d === shown.guess || d === guess) {
        button.classList.toggle('lr-guess', d === guess);
        button.setAttribute('aria-label', i18n.t(d === guess ? 'inside.logreg.templateGuess' :
                                                 'inside.logreg.template', { digit: n(d) }));
      }
    });
    const digitChanged = shown.words === null || shown.digit !== digit;
    shown.words = key;
    shown.digit = digit;
    shown.guess = guess;
    this.line.textContent = guess === null ? i18n.t('inside.logreg.empty') :
      digit === guess ? i18n.t('inside.logreg.guess', { digit: n(digit) }) :
        i18n.t('inside.logreg.other', { digit: n(digit), guess: n(guess) });
    this.picture.setAttribute('aria-label', guess === null ? i18n.t('inside.logreg.pictureEmpty') :
      i18n.t('inside.logreg.picture', { digit: n(digit) }));
    if (!digitChanged) return;
    this.legend.for.textContent = digit === null ? i18n.t('inside.logreg.forAny') :
      i18n.t('inside.logreg.for', { digit: n(digit) });
    this.legend.against.textContent = digit === null ? i18n.t('inside.logreg.againstAny') :
      i18n.t('inside.logreg.against', { digit: n(digit) });
  }

  // "Show the numbers": the shown digit's score as the pixels' evidence for and against it (the
  // core's sums) plus its bias, and the ten scores; rounded to two decimals, the against part
  // taking the rounding so the line adds up. Only while the details are open.
  showNumbers({ bias, logit, for: evidenceFor }, digit) {
    const round = (x) => Math.round(x * 100) / 100 + 0;  // + 0: no "-0"
    const score = round(logit.data[digit]);
    const start = round(bias.data[digit]);
    const forPart = round(evidenceFor.data[digit]);
    const against = round(score - forPart - start);
    const sum = i18n.t('inside.logreg.sum', {
      digit: i18n.number(digit), for: i18n.number(forPart), against: i18n.number(against),
      bias: i18n.number(start), score: i18n.number(score) });
    if (this.sum.textContent !== sum) this.sum.textContent = sum;
    this.scoreItems.forEach((item, d) => {
      const text = i18n.t('inside.logreg.scoreItem',
                          { digit: i18n.number(d), score: i18n.number(round(logit.data[d])) });
      if (item.textContent !== text) item.textContent = text;
      item.classList.toggle('lr-top', d === this.guess);
    });
  }
}

// Each pixel's evidence c = contribution[offset + i] into RGBA `out`: white where there is no
// ink, grey for ink that hardly counts, blue (for) or orange (against) as strong as the evidence
// on the scale where `scale` is full colour.
function colour(contribution, offset, image, out, scale) {
  const steps = 255 / scale;
  for (let i = 0; i < kPixels; ++i) {
    const c = contribution[offset + i];
    const ink = image[i] > 1 ? 1 : image[i] > 0 ? image[i] : 0;
    const base = 255 - kNeutralInk * ink;
    const k = (c < 0 ? -c : c) * steps;
    const t = kStrength[k >= 255 ? 255 : k | 0];
    const hue = c < 0 ? kAgainst : kFor;
    const j = 4 * i;
    out[j] = base + (hue[0] - base) * t;
    out[j + 1] = base + (hue[1] - base) * t;
    out[j + 2] = base + (hue[2] - base) * t;
    out[j + 3] = 255;
  }
}
