// "How does it decide?": one model's insides, on the child's own drawing, live. Display only:
// the numbers come from engine.explain() (the core's own forward pass, core/insight.h), the
// words from the message catalogues.
//
// The shell is this file: the view that is open (one at a time), its heading and close button,
// opening by the panel's [data-action="inside"] (tap, click, Enter or Space) and closing by
// [data-action="close-inside"] or Escape, focus going in and coming back. What a model's view
// shows is in web/inside/<model id>.js, a class with
//   constructor(body, { model, rerun })  builds its DOM in `body`; rerun() asks the page for a new
//                                        explain() of the same drawing (say, another tree)
//   tree                                 (optional) the forest's tree whose path to record
//   show(state, final)                   state: null (nothing drawn), or { guess (the panel's
//                                        { proba, prediction, confidence }), insight (arrays by
//                                        name, engine.explain), image (the 28x28 seen) };
//                                        final: the end of a stroke, not a live frame
//   relabel()                            the page's language changed
// A model without a view file has no "How does it decide?" button.
//
// Contract (README "Browser-test contract"): the open view is [data-inside="<model id>"].
import LogRegView from './inside/logreg.js';
import ForestView from './inside/forest.js';
import LeNetView from './inside/lenet.js';

const i18n = self.digitDrawerI18n;

// Each view, by the id of the model it opens (the core's registry).
const kViews = {
  logreg: LogRegView,
  forest: ForestView,
  lenet: LeNetView,
};

export const hasInside = (model) => Boolean(kViews[model.id]) && !model.error;

export class Inside {
  // host: the element the view covers while it is open (the models' box: the pad stays in view,
  // so the view follows the drawing); rerun(): the page explains the drawing again.
  constructor(host, { rerun }) {
    this.host = host;
    this.rerun = rerun;
    this.model = null;  // the model whose view is open
    this.view = null;
    this.element = null;
    this.opener = null;
  }

  get open() { return Boolean(this.view); }
  get modelId() { return this.model?.id ?? null; }
  get tree() { return this.view?.tree ?? 0; }

  // Opens `model`'s view ({ id, name, ... } from engine.models), `opener` the control that did
  // (focus goes back to it on close).
  show(model, opener = null) {
    if (this.model?.id === model.id) return;
    this.close({ refocus: false });
    const View = kViews[model.id];
    if (!View) return;
    this.model = model;
    this.opener = opener;
    const element = this.element = document.createElement('section');
    element.className = 'inside';
    element.dataset.inside = model.id;
    element.setAttribute('role', 'region');
    element.setAttribute('aria-labelledby', 'inside-title');
    element.innerHTML = `
      <header class="inside-head">
        <h2 id="inside-title" tabindex="-1"></h2>
        <button type="button" class="inside-close" data-action="close-inside">
          <span aria-hidden="true">✕</span> <span class="inside-close-text"></span></button>
      </header>
      <div class="inside-body"></div>`;
    this.host.append(element);
    this.view = new View(element.querySelector('.inside-body'), { model, rerun: () => this.rerun() });
    this.relabel();
    this.rerun();  // its first picture, from the drawing on the pad
    element.querySelector('#inside-title').focus({ preventScroll: true });
  }

  close({ refocus = true } = {}) {
    if (!this.view) return;
    this.view.destroy?.();
    this.element.remove();
    const opener = this.opener;
    this.view = this.element = this.model = this.opener = null;
    if (refocus && opener?.isConnected) opener.focus({ preventScroll: true });
  }

  // result: engine.explain()'s (or predict()'s) for the drawing on the pad.
  update(result, final) {
    if (!this.view) return;
    const i = result.models ? result.models.findIndex((m) => m?.id === this.model.id) : -1;
    const insight = result.insight?.[this.model.id];
    this.view.show(result.empty || i < 0 || !insight ? null :
      { guess: result.models[i], insight, image: result.image }, final);
  }

  relabel() {
    if (!this.view) return;
    this.element.querySelector('#inside-title').textContent =
      i18n.t(`inside.${this.model.id}.title`);
    this.element.querySelector('.inside-close-text').textContent = i18n.t('inside.close');
    this.view.relabel();
  }
}
