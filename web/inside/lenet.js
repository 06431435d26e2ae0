// "How does it decide?" for LeNet-5, the neural network: what its two convolution layers see of
// the child's drawing, live, and its answer. The 6 maps of layer 1 (conv1, 28x28 each, each with
// its 5x5 filter beside it) and the 16 maps of layer 2 (conv2, 10x10; its 6x5x5 filter is shown
// when the map is enlarged), as small canvases; a tap on one enlarges it beside the 28x28 the
// network saw, with its filter and a sentence; the last layer as ten bars. Display only: every
// number comes from the insight arrays (native/core/lenet.h, LeNetInsight), read inside show().
//
// Colours. Maps: the activations are after ReLU (0 or more), so one sequential scale, dark for 0
// to bright yellow (inferno: even steps of lightness, readable in every kind of colour blindness
// and in grey), fixed per layer: full colour at kMapFull[layer] (about the typical brightest
// value of a channel on the drawn-digit set for weights/lenet.bin: conv1 channels peak at 1.0-1.8,
// conv2 at 1.2-3.7), brighter values saturate. A fixed scale keeps a map steady while the child
// draws: a scale by each frame's largest value would repaint the whole map, paler or darker, with
// every new bit of ink, and maps could not be compared with each other. Filters: their weights
// have a sign, so a diverging scale, blue (#2166ac) for the ink a filter wants, orange (#b35806)
// for where it wants none, white for 0, scaled by the filter's own largest weight (fixed: the
// weights do not change). Words, not colour alone, say which is which (the legend).
//
// The final layer: fc3 holds the ten outputs before softmax (logits), which are not what the
// panel shows; the bars are the guess's probabilities (the softmax of fc3, computed by the core),
// so they are exactly the panel's percentages, and the view says so.
//
// Contract (README "Browser-test contract"): the view [data-inside="lenet"] holds one
// canvas[data-layer="conv1"] per conv1 channel (6) and one canvas[data-layer="conv2"] per conv2
// channel (16), each inside a <button> that enlarges it, redrawn at every explain(); the view
// carries data-enlarged ("conv1:0" .. "conv2:15", or empty) and its bars data-top (the digit of
// the tallest bar, the panel's data-prediction).
import { setText } from '../dom.js';

const i18n = self.digitDrawerI18n;

const kClasses = 10;
const kKernel = 5;
// The two layers shown: their names in the insight, channels, side, the filters' array and
// input channels, and the activation drawn at full colour (see above).
const kLayers = [
  { name: 'conv1', number: 1, channels: 6, side: 28, filters: 'conv1_filters', inputs: 1, full: 1.5 },
  { name: 'conv2', number: 2, channels: 16, side: 10, filters: 'conv2_filters', inputs: 6, full: 2.5 },
];
const kEmpty = 0xffe6f0f5;  // nothing drawn: the charts' track colour (#f5f0e6), ABGR

// inferno, 256 steps, as 32-bit RGBA in the byte order of ImageData on little-endian machines
// (every browser's), from a few of its stops.
const kInferno = (() => {
  const stops = [[0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66],
                 [245, 125, 21], [250, 193, 39], [252, 255, 164]];
  const lut = new Uint32Array(256);
  for (let i = 0; i < 256; ++i) {
    const t = i / 255 * (stops.length - 1), k = Math.min(stops.length - 2, Math.floor(t)), f = t - k;
    const c = stops[k].map((v, j) => Math.round(v + (stops[k + 1][j] - v) * f));
    lut[i] = (0xff << 24 | c[2] << 16 | c[1] << 8 | c[0]) >>> 0;
  }
  return lut;
})();
const kWant = [0x21, 0x66, 0xac];     // blue: the filter wants ink (a bright input) here
const kWantNot = [0xb3, 0x58, 0x06];  // orange: it wants none

const kTemplate = `<div class="ln">
  <div class="ln-detail" hidden>
    <div class="ln-detail-pictures">
      <figure><canvas class="ln-seen" width="28" height="28" aria-hidden="true"></canvas>
        <figcaption class="ln-seen-text"></figcaption></figure>
      <span class="ln-arrow" aria-hidden="true">→</span>
      <figure><canvas class="ln-big" width="28" height="28" aria-hidden="true"></canvas>
        <figcaption class="ln-big-text"></figcaption></figure>
      <figure><canvas class="ln-big-filter" width="5" height="5" aria-hidden="true"></canvas>
        <figcaption class="ln-filter-text"></figcaption></figure>
    </div>
    <div class="ln-detail-words">
      <h3 class="ln-detail-title" tabindex="-1"></h3>
      <p class="ln-detail-line" id="ln-detail-line"></p>
      <p class="ln-detail-nothing" hidden></p>
      <button type="button" class="ln-smaller"></button>
    </div>
  </div>
  <div class="ln-layers">
    <section class="ln-layer ln-layer-1" aria-labelledby="ln-layer-1">
      <h3 id="ln-layer-1"></h3><div class="ln-grid"></div></section>
    <section class="ln-layer ln-layer-2" aria-labelledby="ln-layer-2">
      <h3 id="ln-layer-2"></h3><div class="ln-grid"></div></section>
  </div>
  <section class="ln-answer" aria-labelledby="ln-answer-title">
    <h3 id="ln-answer-title"></h3>
    <div class="ln-bars" role="img"></div>
    <p class="ln-answer-note"></p>
  </section>
  <ul class="ln-legend">
    <li><span class="ln-swatch ln-swatch-map" aria-hidden="true"></span><span class="ln-legend-map"></span></li>
    <li><span class="ln-swatch ln-swatch-want" aria-hidden="true"></span><span class="ln-legend-want"></span></li>
    <li><span class="ln-swatch ln-swatch-not" aria-hidden="true"></span><span class="ln-legend-not"></span></li>
  </ul>
  <p class="ln-hint"></p></div>`;

// A canvas, its 2D context and one ImageData reused for every frame, with a 32-bit view of it.
function picture(canvas) {
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(canvas.width, canvas.height);
  return { canvas, ctx, image, words: new Uint32Array(image.data.buffer) };
}

export default class LeNetView {
  constructor(body, { rerun }) {
    this.rerun = rerun;
    this.section = body.closest('[data-inside]');
    this.section.dataset.enlarged = '';
    body.innerHTML = kTemplate;
    const $ = (selector) => body.querySelector(selector);
    this.state = null;
    this.enlarged = null;  // { layer (index in kLayers), channel } or null
    this.filtersDrawn = false;

    // One button per map; conv1's with its filter beside it.
    this.maps = kLayers.map((layer, l) => {
      const grid = $(`.ln-layer-${layer.number} .ln-grid`);
      return Array.from({ length: layer.channels }, (_, channel) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'ln-map';
        button.setAttribute('aria-pressed', 'false');
        const map = document.createElement('canvas');
        map.width = map.height = layer.side;
        map.dataset.layer = layer.name;
        map.dataset.channel = String(channel);
        map.setAttribute('aria-hidden', 'true');
        button.append(map);
        let filter = null;
        if (layer.inputs === 1) {
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = kKernel;
          canvas.className = 'ln-filter';
          canvas.setAttribute('aria-hidden', 'true');
          button.append(canvas);
          filter = picture(canvas);
        }
        button.addEventListener('click', () => this.enlarge(l, channel));
        grid.append(button);
        return { button, map: picture(map), filter };
      });
    });

    this.detail = $('.ln-detail');
    this.seen = picture($('.ln-seen'));
    this.big = $('.ln-big');
    this.bigFilter = $('.ln-big-filter');
    this.bigPicture = null;        // picture() of .ln-big at the enlarged layer's side
    this.bigFilterPicture = null;  // and of its filter
    this.detailTitle = $('.ln-detail-title');
    this.detailLine = $('.ln-detail-line');
    this.detailNothing = $('.ln-detail-nothing');
    this.smaller = $('.ln-smaller');
    this.smaller.addEventListener('click', () => this.enlarge(null));

    this.bars = $('.ln-bars');
    this.barItems = Array.from({ length: kClasses }, (_, d) => {
      const item = document.createElement('span');
      item.className = 'ln-bar';
      item.innerHTML = '<span class="ln-bar-track"><span class="ln-bar-fill"></span></span>' +
                       `<span class="ln-bar-digit">${d}</span>`;
      this.bars.append(item);
      return { item, fill: item.querySelector('.ln-bar-fill'), shown: -1 };
    });
    this.barsLabelFor = null;  // the probabilities the bars' label was last written for

    this.words = {
      layer1: $('#ln-layer-1'), layer2: $('#ln-layer-2'), answer: $('#ln-answer-title'),
      note: $('.ln-answer-note'), map: $('.ln-legend-map'), want: $('.ln-legend-want'),
      not: $('.ln-legend-not'), hint: $('.ln-hint'), seen: $('.ln-seen-text'),
      big: $('.ln-big-text'), filter: $('.ln-filter-text'),
    };
  }

  // l: index in kLayers, or null for none; a second tap on the enlarged map makes it small again.
  enlarge(l, channel = 0) {
    const same = this.enlarged && this.enlarged.layer === l && this.enlarged.channel === channel;
    const previous = this.enlarged;
    this.enlarged = l === null || same ? null : { layer: l, channel };
    if (previous) {
      const button = this.maps[previous.layer][previous.channel].button;
      button.setAttribute('aria-pressed', 'false');
      button.removeAttribute('aria-describedby');
    }
    this.section.dataset.enlarged = this.enlarged ? `${kLayers[l].name}:${channel}` : '';
    this.detail.hidden = !this.enlarged;
    if (!this.enlarged) {
      if (previous) this.maps[previous.layer][previous.channel].button.focus({ preventScroll: true });
      return;
    }
    // A screen reader hears the enlarged map's words with its button.
    this.maps[l][channel].button.setAttribute('aria-pressed', 'true');
    this.maps[l][channel].button.setAttribute('aria-describedby', 'ln-detail-line');
    const layer = kLayers[l];
    if (!this.bigPicture || this.big.width !== layer.side) {
      this.big.width = this.big.height = layer.side;
      this.bigPicture = picture(this.big);
      this.bigFilter.width = layer.inputs * (kKernel + 1) - 1;  // the input channels' filters in a row
      this.bigFilter.height = kKernel;
      this.bigFilterPicture = picture(this.bigFilter);
    }
    this.bigFilter.parentElement.classList.toggle('ln-wide', layer.inputs > 1);
    this.relabelDetail();
    this.drawEnlarged();
    // Into the view's own scrolling only (not the page's), under its sticky heading.
    const head = this.section.querySelector('.inside-head');
    this.section.scrollTop = Math.min(this.section.scrollTop, this.detail.offsetTop - head.offsetHeight);
  }

  show(state, final) {
    this.state = state;
    const insight = state?.insight;
    if (insight && !this.filtersDrawn) this.drawFilters(insight);
    kLayers.forEach((layer, l) => {
      const data = insight?.[layer.name].data;
      const size = layer.side * layer.side;
      const scale = 255 / layer.full;
      for (let c = 0; c < layer.channels; ++c) {
        const { ctx, image, words } = this.maps[l][c].map;
        // A map whose pixels did not change is not drawn again (each drawn canvas is work for
        // the frame's paint and commit; a map that sees nothing stays dark frame after frame).
        // The first time, every pixel changes: a new ImageData is transparent.
        let changed = false;
        const base = c * size;
        for (let i = 0; i < size; ++i) {
          let pixel = kEmpty;
          if (data) {
            const v = data[base + i] * scale;
            pixel = kInferno[v >= 255 ? 255 : v > 0 ? v | 0 : 0];
          }
          if (words[i] !== pixel) { words[i] = pixel; changed = true; }
        }
        if (changed) ctx.putImageData(image, 0, 0);
      }
    });
    this.showBars(state?.guess, final);
    if (this.enlarged) this.drawEnlarged();
  }

  // The ten bars: the guess's probabilities, the panel's own numbers (see the top of the file).
  // Heights change by a transform, rounded to half a percent; the screen readers' label only at
  // the end of a stroke (or when there is nothing), not in every live frame.
  showBars(guess, final) {
    for (let d = 0; d < kClasses; ++d) {
      const bar = this.barItems[d];
      const shown = guess ? Math.round(guess.proba[d] * 200) : 0;
      if (shown !== bar.shown) {
        bar.shown = shown;
        bar.fill.style.transform = `scaleY(${Math.max(shown, 1) / 200})`;
      }
      const top = guess?.prediction === d;
      if (bar.item.classList.contains('ln-top') !== top) bar.item.classList.toggle('ln-top', top);
    }
    const top = guess ? String(guess.prediction) : '';
    if (this.bars.dataset.top !== top) this.bars.dataset.top = top;
    if (final || !guess) this.labelBars();
  }

  labelBars() {
    const guess = this.state?.guess;
    const key = guess ? Array.from(guess.proba, (p) => i18n.percent(p)).join() : '';
    if (key === this.barsLabelFor) return;
    this.barsLabelFor = key;
    this.bars.setAttribute('aria-label', guess ?
      i18n.t('inside.lenet.bars', { digit: guess.prediction, percent: i18n.percent(guess.confidence),
                                    list: i18n.list(Array.from(guess.proba, (p, digit) =>
                                      i18n.t('panel.chartItem', { digit, percent: i18n.percent(p) }))) }) :
      i18n.t('inside.lenet.barsEmpty'));
  }

  // Once: the filters are the model's weights, the same for every image.
  drawFilters(insight) {
    this.filtersDrawn = true;
    this.filterData = kLayers.map((layer) => insight[layer.filters].data);
    this.maps[0].forEach(({ filter }, c) => {
      drawFilter(filter.words, kKernel, this.filterData[0], c * kKernel * kKernel, 1);
      filter.ctx.putImageData(filter.image, 0, 0);
    });
  }

  drawEnlarged() {
    const { layer: l, channel } = this.enlarged;
    const layer = kLayers[l];
    const small = this.maps[l][channel].map;
    const insight = this.state?.insight;
    // The map: the same pixels as its small canvas.
    this.bigPicture.words.set(small.words);
    this.bigPicture.ctx.putImageData(this.bigPicture.image, 0, 0);
    // The 28x28 the network saw: ink dark on white, as on the pad.
    const seen = this.seen.words;
    const image = this.state?.image;
    for (let i = 0; i < 784; ++i) {
      const v = image ? 255 - Math.min(255, Math.max(0, Math.round(image[i] * 235))) : 255;
      seen[i] = (0xff << 24 | v << 16 | v << 8 | v) >>> 0;
    }
    this.seen.ctx.putImageData(this.seen.image, 0, 0);
    if (this.filterData) {
      const size = layer.inputs * kKernel * kKernel;
      drawFilter(this.bigFilterPicture.words, this.bigFilter.width, this.filterData[l],
                 channel * size, layer.inputs);
      this.bigFilterPicture.ctx.putImageData(this.bigFilterPicture.image, 0, 0);
    }
    // Whether the map found anything at all in this drawing (its largest value above 0).
    let found = false;
    const data = insight?.[layer.name].data;
    if (data) {
      const size = layer.side * layer.side;
      for (let i = channel * size, end = i + size; i < end && !found; ++i) found = data[i] > 0;
    }
    const nothing = Boolean(data) && !found;
    if (this.detailNothing.hidden === nothing) this.detailNothing.hidden = !nothing;
  }

  relabel() {
    const t = (key, params) => i18n.t(`inside.lenet.${key}`, params);
    setText(this.words.layer1, t('layer1'));
    setText(this.words.layer2, t('layer2'));
    setText(this.words.answer, t('answer'));
    setText(this.words.note, t('answerNote'));
    setText(this.words.map, t('legendMap'));
    setText(this.words.want, t('legendWant'));
    setText(this.words.not, t('legendNot'));
    setText(this.words.hint, t('hint'));
    setText(this.words.seen, t('seen'));
    setText(this.words.big, t('map'));
    setText(this.words.filter, t('filter'));
    setText(this.smaller, t('smaller'));
    kLayers.forEach((layer, l) => this.maps[l].forEach(({ button }, c) =>
      button.setAttribute('aria-label', t('mapButton', { layer: i18n.number(layer.number), number: i18n.number(c + 1) }))));
    this.barsLabelFor = null;
    this.labelBars();
    if (this.enlarged) this.relabelDetail();
  }

  relabelDetail() {
    const t = (key, params) => i18n.t(`inside.lenet.${key}`, params);
    const layer = kLayers[this.enlarged.layer];
    setText(this.detailTitle, t('detailTitle', { layer: i18n.number(layer.number),
                                                       number: i18n.number(this.enlarged.channel + 1) }));
    setText(this.detailLine, t(layer.inputs === 1 ? 'detail1' : 'detail2'));
    setText(this.detailNothing, t('nothing'));
  }
}

// Filter weights w[in][5][5] from `offset` as 32-bit pixels, the inputs' 5x5s side by side one
// pixel apart (white between them), `rowPixels` wide: blue where a weight is positive, orange
// where it is negative, white at 0, scaled by the filter's largest weight.
function drawFilter(words, rowPixels, weights, offset, inputs) {
  const count = inputs * kKernel * kKernel;
  let largest = 0;
  for (let i = 0; i < count; ++i) largest = Math.max(largest, Math.abs(weights[offset + i]));
  words.fill(0xffffffff);
  for (let c = 0; c < inputs; ++c) {
    for (let y = 0; y < kKernel; ++y) {
      for (let x = 0; x < kKernel; ++x) {
        const w = weights[offset + (c * kKernel + y) * kKernel + x];
        const f = largest > 0 ? Math.min(1, Math.abs(w) / largest) : 0;
        const colour = w >= 0 ? kWant : kWantNot;
        const [r, g, b] = colour.map((v) => Math.round(255 + (v - 255) * f));
        words[y * rowPixels + c * (kKernel + 1) + x] = (0xff << 24 | b << 16 | g << 8 | r) >>> 0;
      }
    }
  }
}
