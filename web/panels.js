// What the page shows of a prediction: one panel per model (its top guess, its confidence and a
// bar chart of its ten probabilities, drawn as SVG) and the 28x28 image the models saw. Display
// only: the numbers arrive from engine.predict(), the words from the message catalogues
// (web/i18n.js).
//
// Each panel keeps the browser-test contract (README "Browser-test contract"):
//   <section data-model="<model id>" data-prediction="7" data-confidence="0.93">
// with data-prediction empty and data-confidence 0 while the canvas is empty, and
// data-missing="<file>" for a model whose weights file did not load.
import { setAttribute, setData, setHidden, setText } from './dom.js';

const i18n = self.digitDrawerI18n;
const SVG = 'http://www.w3.org/2000/svg';
const kChart = { width: 260, height: 108, barTop: 4, barBottom: 76, labelY: 103 };

function svg(name, attributes = {}) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

// A model's words: those of the catalogues, by its id; a model added to the registry without
// words yet is called by its registry name (tests/web/messages.test.mjs asks for its words).
export function modelWords(model) {
  const words = (field, fallback) => {
    const key = `model.${model.id}.${field}`;
    return i18n.has(key) ? i18n.t(key) : fallback;
  };
  return { name: words('name', model.name), blurb: words('blurb', '') };
}

// Digit d's bar of probability p, as path data: the track's box, filled from its foot to p of its
// height (at least a sliver, so that a bar is always there to see), its top corners rounded as
// the track's. Rounded to a tenth of a unit: what no screen shows is not a change.
function barShape(d, p) {
  const slot = kChart.width / 10;
  const x = d * slot + slot * 0.15, w = slot * 0.7;
  const full = kChart.barBottom - kChart.barTop;
  const h = Math.round(10 * full * Math.min(1, Math.max(p, 0.004))) / 10;
  const r = Math.min(2, h / 2, w / 2);
  const top = kChart.barBottom - h;
  const f = (v) => Math.round(v * 100) / 100;
  return `M${f(x)} ${kChart.barBottom}V${f(top + r)}Q${f(x)} ${f(top)} ${f(x + r)} ${f(top)}` +
         `H${f(x + w - r)}Q${f(x + w)} ${f(top)} ${f(x + w)} ${f(top + r)}V${kChart.barBottom}Z`;
}

export class ModelPanel {
  // model: { id, name, file, error } as engine.models lists it; builds its own DOM inside
  // `container`, in `element` (an empty <section> already there) or in a new <section> at its end.
  // `oneFile`: whether this is the one-file page (what a missing file's panel says to do).
  // `inside`: whether the model has a "How does it decide?" view (web/inside.js).
  constructor(container, model, element = null, { oneFile = false, inside = false } = {}) {
    this.model = model;
    this.oneFile = oneFile;
    this.element = element ?? document.createElement('section');
    this.element.className = 'model';
    this.element.dataset.model = model.id;
    this.element.innerHTML = `
      <h2><span class="name"></span><small class="blurb"></small></h2>
      <p class="guess"><span class="digit">?</span>
        <span class="confidence"></span></p>
      <p class="missing" hidden></p>
      <button type="button" class="inside-open" data-action="inside" hidden>
        <svg class="inside-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="10" cy="10" r="6.5"/><path d="M15 15l6 6"/></svg></button>`;
    this.title = this.element.querySelector('.name');
    this.blurb = this.element.querySelector('.blurb');
    this.digit = this.element.querySelector('.digit');
    this.confidence = this.element.querySelector('.confidence');
    this.missing = this.element.querySelector('.missing');
    this.insideButton = this.element.querySelector('[data-action="inside"]');
    this.insideButton.hidden = !inside;

    this.chart = svg('svg', { viewBox: `0 0 ${kChart.width} ${kChart.height}`, role: 'img' });
    const chart = this.chart;
    const slot = kChart.width / 10;
    this.labels = [];
    for (let d = 0; d < 10; ++d) {
      const x = d * slot + slot * 0.15;
      chart.append(svg('rect', { class: 'track', x, y: kChart.barTop, width: slot * 0.7,
                                 height: kChart.barBottom - kChart.barTop, rx: 2 }));
      const label = svg('text', { x: x + slot * 0.35, y: kChart.labelY, class: 'label' });
      label.textContent = i18n.number(d);
      chart.append(label);
      this.labels.push(label);
    }
    // The bars: one path for the nine others and one for the top guess, their shape written
    // whole in each frame (two elements for the browser to lay out, not ten).
    this.barPaths = { other: svg('path', { class: 'bar' }), top: svg('path', { class: 'bar top' }) };
    chart.append(this.barPaths.other, this.barPaths.top);
    this.barShape = { other: null, top: null };
    this.topLabel = -1;
    this.element.insertBefore(chart, this.missing);
    if (!element) container.append(this.element);
    this.result = null;
    this.show(null, true);
  }

  // result: { proba (ten probabilities), prediction, confidence } as engine.predict() gives it,
  // or null for "nothing drawn yet". `final` (not a live frame): its words follow too (describe()).
  show(result, final = true) {
    if (this.model.error) result = null;  // its file did not load: nothing to show
    this.result = result;
    const best = result ? result.prediction : -1;
    setData(this.element, 'prediction', result ? String(best) : '');
    setData(this.element, 'confidence', result ? result.confidence.toFixed(4) : '0');
    this.element.classList.toggle('idle', !result);  // (a toggle to the same state changes nothing)
    setText(this.digit, result ? i18n.number(best) : '?');
    setText(this.confidence, result ? i18n.t('panel.sure', { percent: i18n.percent(result.confidence) }) : '');
    const shape = { other: '', top: '' };
    if (result) {
      for (let d = 0; d < 10; ++d) shape[d === best ? 'top' : 'other'] += barShape(d, result.proba[d]);
    }
    for (const kind of ['other', 'top']) {
      if (this.barShape[kind] === shape[kind]) continue;
      this.barShape[kind] = shape[kind];
      setAttribute(this.barPaths[kind], 'd', shape[kind] || null);
    }
    if (this.topLabel !== best) {
      this.labels[this.topLabel]?.classList.remove('top');
      this.labels[best]?.classList.add('top');
      this.topLabel = best;
    }
    if (final) this.describe();
  }

  // The words for what show() last showed: the panel's name, a missing file, the chart's text
  // alternative for screen readers and the magnifier's name (at a stroke's end, web/app.js asks
  // for them a frame after the numbers).
  describe() {
    const failed = Boolean(this.model.error);
    const { result } = this;
    const { name, blurb } = modelWords(this.model);
    setText(this.title, name);
    setText(this.blurb, blurb);
    setData(this.element, 'name', name);
    this.element.classList.toggle('failed', failed);
    setHidden(this.missing, !failed);
    if (failed) {
      setData(this.element, 'missing', this.model.file);
      setText(this.missing, this.oneFile ? i18n.t('panel.missingOneFile') :
        i18n.t('panel.missing', { file: this.model.file }));
    }
    setAttribute(this.chart, 'aria-label', result ?
      i18n.t('panel.chart', { name, list: i18n.list(Array.from(result.proba, (p, d) =>
        i18n.t('panel.chartItem', { digit: d, percent: i18n.percent(p) }))) }) :
      i18n.t('panel.chartEmpty', { name }));
    setAttribute(this.chart, 'aria-hidden', failed ? '' : null);
    // Its magnifier on screen; its words as its name and tooltip.
    setAttribute(this.insideButton, 'aria-label', i18n.t('inside.openModel', { name }));
    setAttribute(this.insideButton, 'title', i18n.t('inside.open'));
  }

  // The page's language changed: the same result, in the new words.
  relabel() {
    this.labels.forEach((label, d) => setText(label, i18n.number(d)));
    this.show(this.result, true);
  }
}

// The 28x28 image the models saw, drawn one canvas pixel per image pixel (CSS enlarges it with
// crisp pixels).
export class SeenImage {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.pixels = this.ctx.createImageData(28, 28);
    this.show(null);
  }

  // image: 784 floats (ink = 1), or null to clear.
  show(image) {
    const wasEmpty = !this.image;
    this.image = image;
    if (wasEmpty !== !image) this.relabel();  // its name changes only between empty and not
    const data = this.pixels.data;
    for (let i = 0; i < 784; ++i) {
      const shade = 255 - Math.round(255 * Math.min(1, Math.max(0, image ? image[i] : 0)));
      data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = shade;
      data[4 * i + 3] = 255;
    }
    this.ctx.putImageData(this.pixels, 0, 0);
  }

  relabel() {
    this.canvas.setAttribute('aria-label', i18n.t(this.image ? 'seen.label' : 'seen.empty'));
  }
}
