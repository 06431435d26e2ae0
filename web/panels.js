// What the page shows of a prediction: one panel per model (its top guess, its confidence and a
// bar chart of its ten probabilities, drawn as SVG) and the 28x28 image the models saw. Display
// only: the numbers arrive from engine.predict().
//
// Each panel keeps the browser-test contract (README "Browser-test contract"):
//   <section data-model="<model id>" data-prediction="7" data-confidence="0.93">
// with data-prediction empty and data-confidence 0 while the canvas is empty.
const SVG = 'http://www.w3.org/2000/svg';
const kChart = { width: 260, height: 108, barTop: 4, barBottom: 76, labelY: 103 };

function svg(name, attributes = {}) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

function percent(p) {
  return `${Math.round(p * 100)}%`;
}

export class ModelPanel {
  // model: { id, name, blurb }; builds its own DOM inside `container`, in `element` (an empty
  // <section> already there) or in a new <section> at its end.
  constructor(container, model, element = null) {
    this.model = model;
    this.element = element ?? document.createElement('section');
    this.element.className = 'model';
    this.element.dataset.model = model.id;
    this.element.innerHTML = `
      <h2>${model.name}<small>${model.blurb ?? ''}</small></h2>
      <p class="guess"><span class="digit">?</span>
        <span class="confidence"></span></p>`;
    this.digit = this.element.querySelector('.digit');
    this.confidence = this.element.querySelector('.confidence');

    const chart = svg('svg', { viewBox: `0 0 ${kChart.width} ${kChart.height}`, role: 'img',
                               'aria-label': `${model.name}: probability of each digit` });
    const slot = kChart.width / 10;
    this.bars = [];
    for (let d = 0; d < 10; ++d) {
      const x = d * slot + slot * 0.15;
      chart.append(svg('rect', { class: 'track', x, y: kChart.barTop, width: slot * 0.7,
                                 height: kChart.barBottom - kChart.barTop, rx: 2 }));
      const bar = svg('rect', { class: 'bar', x, y: kChart.barTop, width: slot * 0.7,
                                height: kChart.barBottom - kChart.barTop, rx: 2 });
      chart.append(bar);
      const label = svg('text', { x: x + slot * 0.35, y: kChart.labelY, class: 'label' });
      label.textContent = d;
      chart.append(label);
      this.bars.push({ bar, label });
    }
    this.element.append(chart);
    if (!element) container.append(this.element);
    this.show(null);
  }

  // result: { proba (ten probabilities), prediction, confidence } as engine.predict() gives it,
  // or null for "nothing drawn yet".
  show(result) {
    const best = result ? result.prediction : -1;
    this.element.dataset.prediction = result ? String(best) : '';
    this.element.dataset.confidence = result ? result.confidence.toFixed(4) : '0';
    this.element.classList.toggle('idle', !result);
    this.digit.textContent = result ? String(best) : '?';
    this.confidence.textContent = result ? `${percent(result.confidence)} sure` : '';
    this.bars.forEach(({ bar, label }, d) => {
      // scaleY with the origin at the bar's foot: the CSS transition animates it smoothly.
      bar.style.transform = `scaleY(${result ? Math.max(result.proba[d], 0.004) : 0})`;
      bar.classList.toggle('top', d === best);
      label.classList.toggle('top', d === best);
    });
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
    const data = this.pixels.data;
    for (let i = 0; i < 784; ++i) {
      const shade = 255 - Math.round(255 * Math.min(1, Math.max(0, image ? image[i] : 0)));
      data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = shade;
      data[4 * i + 3] = 255;
    }
    this.ctx.putImageData(this.pixels, 0, 0);
  }
}
