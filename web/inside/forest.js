// "How does it decide?" for the random forest, the tree vote: its trees as small icons, each in
// the row of the digit it voted for, with each row's count (the tally); and, for the tree the
// child taps, its questions in order, each one marked on the 28x28 picture the forest saw, down
// to its answer. Display only: every number comes from the insight arrays (native/core/forest.h,
// ForestInsight), read inside show(); the tree whose path the core records is `tree`.
//
// The forest's percentages are the mean of the leaves the trees reached (a soft vote), not the
// share of votes; the view says so, with this drawing's own numbers.
//
// Cost per live frame: a tree whose vote did not change is not touched; one that did moves to
// its new row (one insertBefore, at its place found in the row's sorted list of trees) and gets
// its new name. The path is redrawn only while a tree is
// picked. Rows keep the tree numbers' order: a moved tree goes to its place among its row's.
//
// Keyboard: the trees are one stop in the Tab order (a roving tabindex): the arrow keys, Home and
// End move between trees, Enter or Space picks one.
//
// Contract (README "Browser-test contract"): the view [data-inside="forest"] holds one
// button[data-tree="i"] per tree (0-based), with data-vote (its answer; empty when nothing is
// drawn); ten [data-tally] rows with data-digit, data-count (trees that voted for it) and
// data-total (trees); [data-forest-guess] with data-digit (the forest's answer, the panel's
// data-prediction). After a tap on a tree: [data-tree-path] with data-path-tree (that tree) and
// data-answer (its vote), one [data-step] per question with data-row, data-col (0-based, in the
// 28x28) and data-went ("left": the pixel was at most the threshold, "right": above it), then
// [data-leaf] with data-vote.
import { setData, setText } from '../dom.js';

const i18n = self.digitDrawerI18n;

const kClasses = 10;
const kSide = 28;
const kCell = 8;  // the path picture's canvas pixels per 28x28 pixel (drawn sharp, scaled by CSS)
// One colour per vote (its row's colour too), each 3:1 or more on the view's white (WCAG 1.4.11);
// the rows' digits, not the colours, say which digit a tree voted for.
const kVoteColours = ['#1f77b4', '#c0392b', '#2e7d32', '#7b3fa0', '#8c564b',
                      '#c2185b', '#5f6b73', '#8a6d00', '#00838f', '#b35806'];
// A question whose threshold is under this is worded "any ink here?" (its percent would say 0%
// to 4%, which reads as a trick question).
const kAnyInk = 0.05;
const kYes = '#2166ac';  // a question answered yes (went right): blue, as in the other views
const kNo = '#b35806';   // no (went left): orange

const kTemplate = `
  <p class="fr-guess" data-forest-guess></p>
  <div class="fr-main">
    <div class="fr-tally" role="group" aria-labelledby="fr-tally-title">
      <h3 id="fr-tally-title" class="fr-tally-title"></h3>
      <div class="fr-rows"></div>
    </div>
    <section class="fr-path" data-tree-path hidden aria-labelledby="fr-path-title">
      <h3 id="fr-path-title" class="fr-path-title" tabindex="-1"></h3>
      <div class="fr-path-main">
        <canvas class="fr-path-picture" width="${kSide * kCell}" height="${kSide * kCell}"
                role="img"></canvas>
        <ol class="fr-steps"></ol>
      </div>
      <p class="fr-legend"></p>
      <p class="fr-leaf" data-leaf></p>
      <p class="fr-shares"></p>
      <button type="button" class="fr-path-close"></button>
    </section>
  </div>
  <p class="fr-average"></p>`;

export default class ForestView {
  constructor(body, { rerun }) {
    this.rerun = rerun;
    this.section = body.closest('[data-inside]');
    body.innerHTML = kTemplate;
    const $ = (selector) => body.querySelector(selector);
    this.body = body;
    this.guessLine = $('.fr-guess');
    this.average = $('.fr-average');
    this.tallyTitle = $('.fr-tally-title');
    this.rowsBox = $('.fr-rows');
    this.path = $('.fr-path');
    this.pathTitle = $('.fr-path-title');
    this.picture = $('.fr-path-picture');
    this.pictureCtx = this.picture.getContext('2d');
    this.pixels = this.pictureCtx.createImageData(kSide, kSide);
    this.steps = $('.fr-steps');
    this.leaf = $('.fr-leaf');
    this.shares = $('.fr-shares');
    this.pathClose = $('.fr-path-close');
    this.legend = $('.fr-legend');

    // Ten rows, one per digit: its digit, its count, its trees.
    this.rows = Array.from({ length: kClasses }, (_, d) => {
      const row = document.createElement('div');
      row.className = 'fr-row fr-row-empty';
      row.dataset.tally = '';
      row.dataset.digit = String(d);
      row.dataset.count = '0';
      row.dataset.total = '0';
      row.style.setProperty('--vote', kVoteColours[d]);
      row.innerHTML = '<span class="fr-row-digit" aria-hidden="true"></span>' +
                      '<span class="fr-row-count" aria-hidden="true"></span>' +
                      '<span class="fr-row-name visually-hidden"></span>' +
                      '<span class="fr-row-trees"></span>';
      this.rowsBox.append(row);
      return { row, digit: row.querySelector('.fr-row-digit'), count: row.querySelector('.fr-row-count'),
               name: row.querySelector('.fr-row-name'), trees: row.querySelector('.fr-row-trees') };
    });
    // Trees not voting (nothing drawn): a row of their own, without a digit.
    this.idle = document.createElement('div');
    this.idle.className = 'fr-row fr-row-idle';
    this.rowsBox.append(this.idle);

    this.trees = [];  // { button, vote } per tree, made at the first drawing (the core says how many)
    this.picked = null;  // the tree whose questions are shown, or null
    this.state = null;
    this.shown = { guess: null };

    this.onClick = (e) => {
      const tree = e.target.closest('[data-tree]');
      if (tree) this.pick(Number(tree.dataset.tree) === this.picked ? null : Number(tree.dataset.tree));
      else if (e.target.closest('.fr-path-close')) this.pick(null, { refocus: true });
    };
    this.onKey = (e) => {
      const tree = e.target.closest?.('[data-tree]');
      if (!tree) return;
      const order = [...this.rowsBox.querySelectorAll('[data-tree]')];  // as seen: row by row
      const at = order.indexOf(tree);
      const rtl = getComputedStyle(this.section).direction === 'rtl';
      const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, ArrowDown: 1, ArrowUp: -1 }[e.key];
      let next = null;
      if (step) next = order[Math.max(0, Math.min(order.length - 1, at + step))];
      else if (e.key === 'Home') next = order[0];
      else if (e.key === 'End') next = order[order.length - 1];
      if (!next) return;
      e.preventDefault();
      this.focusable(next);
      next.focus();
    };
    body.addEventListener('click', this.onClick);
    body.addEventListener('keydown', this.onKey);
    this.show(null, true);
  }

  destroy() {
    this.body.removeEventListener('click', this.onClick);
    this.body.removeEventListener('keydown', this.onKey);
  }

  // The tree whose path the core records (web/inside.js passes it to engine.explain).
  get tree() { return this.picked ?? 0; }

  // tree: a tree's index, or null to show no path.
  pick(tree, { refocus = false } = {}) {
    const before = this.picked;
    this.picked = tree;
    if (before !== null && this.trees[before]) this.trees[before].button.setAttribute('aria-pressed', 'false');
    if (tree !== null) {
      this.trees[tree].button.setAttribute('aria-pressed', 'true');
      this.focusable(this.trees[tree].button);
    }
    this.path.hidden = tree === null;
    this.section.classList.toggle('fr-picked', tree !== null);
    this.rerun();
    // Its questions from their title down, under the view's sticky heading (CSS scroll-margin).
    if (tree !== null && before === null) this.path.scrollIntoView?.({ block: 'start' });
    if (tree === null && refocus && before !== null) this.trees[before]?.button.focus();
  }

  // The one tree button in the Tab order.
  focusable(button) {
    for (const { button: b } of this.trees) if (b !== button && b.tabIndex !== -1) b.tabIndex = -1;
    button.tabIndex = 0;
  }

  makeTrees(count) {
    this.trees = Array.from({ length: count }, (_, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'fr-tree';
      button.dataset.tree = String(i);
      button.dataset.vote = '';
      button.tabIndex = i === 0 ? 0 : -1;
      button.setAttribute('aria-pressed', 'false');
      button.innerHTML = '<span class="fr-tree-icon" aria-hidden="true"></span>';
      this.idle.append(button);
      return { button, vote: -1 };
    });
    // The trees in each row, in order: members[0] the idle row's, members[d + 1] digit d's.
    this.members = [Array.from({ length: count }, (_, i) => i),
                    ...Array.from({ length: kClasses }, () => [])];
    for (const { row } of this.rows) row.dataset.total = String(count);
    this.relabelTrees();
  }

  show(state) {
    this.state = state;
    const votes = state?.insight.vote;
    if (votes && !this.trees.length) this.makeTrees(votes.length);
    const total = this.trees.length;
    const counts = new Array(kClasses).fill(0);
    // Each tree into the row of its vote, in tree order within a row.
    for (let i = 0; i < total; ++i) {
      const vote = votes ? votes.data[i] : -1;
      if (vote >= 0) ++counts[vote];
      const tree = this.trees[i];
      if (tree.vote === vote) continue;
      // Out of its row's list, into the new one's at its place (binary search), and before the
      // button of the tree that follows it there.
      const from = this.members[tree.vote + 1];
      from.splice(from.indexOf(i), 1);
      const to = this.members[vote + 1];
      let lo = 0, hi = to.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (to[mid] < i) lo = mid + 1;
        else hi = mid;
      }
      to.splice(lo, 0, i);
      tree.vote = vote;
      const box = vote >= 0 ? this.rows[vote].trees : this.idle;
      box.insertBefore(tree.button, lo + 1 < to.length ? this.trees[to[lo + 1]].button : null);
      tree.button.dataset.vote = vote >= 0 ? String(vote) : '';  // its colour: its row's --vote
      this.nameTree(i);
    }
    this.rows.forEach((r, d) => {
      const count = String(counts[d]);
      if (r.row.dataset.count === count) return;
      r.row.dataset.count = count;
      r.row.classList.toggle('fr-row-empty', counts[d] === 0);
      this.nameRow(d);
    });
    this.idle.hidden = Boolean(votes) || !total;
    this.showGuess(state, counts);
    if (this.picked !== null) this.showPath(state);
  }

  relabel() {
    this.tallyTitle.textContent = i18n.t('inside.forest.tally');
    this.pathClose.textContent = i18n.t('inside.forest.pathClose');
    this.legend.textContent = i18n.t('inside.forest.legend');
    this.rows.forEach((r, d) => { r.digit.textContent = i18n.number(d); });
    this.rows.forEach((_, d) => this.nameRow(d));
    this.relabelTrees();
    this.shown.guess = null;
    this.show(this.state);
  }

  relabelTrees() { this.trees.forEach((_, i) => this.nameTree(i)); }

  nameTree(i) {
    const { button, vote } = this.trees[i];
    const n = i18n.number(i + 1);
    const name = vote >= 0 ? i18n.t('inside.forest.tree', { number: n, digit: i18n.number(vote) }) :
      i18n.t('inside.forest.treeIdle', { number: n });
    button.setAttribute('aria-label', name);
    button.title = name;
  }

  nameRow(d) {
    const r = this.rows[d];
    const count = Number(r.row.dataset.count);
    setText(r.count, i18n.number(count));
    setText(r.name, i18n.t('inside.forest.row', { count, digit: i18n.number(d) }));
  }

  // The sentences over the tally: what most trees voted, what the forest says, and why the two
  // numbers differ.
  showGuess(state, counts) {
    const guess = state ? state.guess.prediction : null;
    setData(this.guessLine, 'digit', guess === null ? '' : String(guess));
    const total = this.trees.length;
    let top = 0;
    for (let d = 1; d < kClasses; ++d) if (counts[d] > counts[top]) top = d;
    const key = state ? `${guess}|${top}|${counts[top]}|${i18n.percent(state.guess.confidence)}` : 'empty';
    if (this.shown.guess === key) return;
    this.shown.guess = key;
    if (!state) {
      setText(this.guessLine, i18n.t('inside.forest.empty'));
      setText(this.average, i18n.t('inside.forest.averageEmpty'));
      return;
    }
    const n = i18n.number;
    setText(this.guessLine, i18n.t(top === guess ? 'inside.forest.most' : 'inside.forest.mostOther', {
      digit: n(top), count: counts[top], total, guess: n(guess) }));
    const percent = i18n.percent(state.guess.confidence);
    const share = i18n.percent(total ? counts[guess] / total : 0);
    setText(this.average, i18n.t(percent === share ? 'inside.forest.averageSame' : 'inside.forest.average',
                                 { guess: n(guess), percent, share }));
  }

  // The picked tree's questions, its answer and its leaf's shares, and its marks on the picture.
  showPath(state) {
    const tree = this.picked;
    const n = i18n.number;
    setData(this.path, 'pathTree', String(tree));
    setText(this.pathTitle, i18n.t('inside.forest.pathTitle', { number: n(tree + 1) }));
    const insight = state?.insight;
    const length = insight ? insight.path_row.length : 0;
    const items = this.steps.children;
    while (items.length > length) items[items.length - 1].remove();
    while (items.length < length) {
      const li = document.createElement('li');
      li.dataset.step = '';
      this.steps.append(li);
    }
    for (let k = 0; k < length; ++k) {
      const row = insight.path_row.data[k], col = insight.path_col.data[k];
      const went = insight.path_right.data[k] ? 'right' : 'left';
      const li = items[k];
      setData(li, 'row', String(row));
      setData(li, 'col', String(col));
      setData(li, 'went', went);
      li.classList.toggle('fr-yes', went === 'right');
      // A threshold that rounds to a few percent asks whether there is any ink at all.
      const threshold = insight.path_threshold.data[k];
      const key = threshold < kAnyInk ? (went === 'right' ? 'stepAnyYes' : 'stepAnyNo') :
        went === 'right' ? 'stepYes' : 'stepNo';
      setText(li, i18n.t(`inside.forest.${key}`, {
        row: n(row + 1), col: n(col + 1), threshold: i18n.percent(threshold),
        value: i18n.percent(insight.path_value.data[k]) }));
    }
    const vote = state ? insight.vote.data[tree] : -1;
    setData(this.path, 'answer', vote >= 0 ? String(vote) : '');
    setData(this.leaf, 'vote', vote >= 0 ? String(vote) : '');
    setText(this.leaf, vote >= 0 ? i18n.t('inside.forest.leaf', { digit: n(vote), count: length }) :
      i18n.t('inside.forest.pathEmpty'));
    this.leaf.style.setProperty('--vote', vote >= 0 ? kVoteColours[vote] : '');
    if (vote >= 0) {
      const proba = insight.leaf_proba.data;
      const shares = [];
      for (let d = 0; d < kClasses; ++d) {
        const p = proba[tree * kClasses + d];
        if (p > 0) shares.push([p, d]);
      }
      shares.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      setText(this.shares, i18n.t('inside.forest.shares', { list: i18n.list(shares.map(([p, d]) =>
        i18n.t('inside.forest.share', { digit: n(d), percent: i18n.percent(p) }))) }));
    } else {
      setText(this.shares, '');
    }
    this.drawPath(state, length);
  }

  // The 28x28 in grey, each question's pixel as a square: blue where the answer was yes, orange
  // no, edged in white so that it shows on ink and on paper alike.
  drawPath(state, length) {
    const ctx = this.pictureCtx;
    const image = state?.image;
    const data = this.pixels.data;
    for (let i = 0; i < kSide * kSide; ++i) {
      const ink = image ? Math.min(1, Math.max(0, image[i])) : 0;
      const v = 255 - Math.round(200 * ink);
      data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = v;
      data[4 * i + 3] = 255;
    }
    ctx.putImageData(this.pixels, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.picture, 0, 0, kSide, kSide, 0, 0, kSide * kCell, kSide * kCell);
    const insight = state?.insight;
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#fff';
    for (let k = 0; k < length; ++k) {
      const x = insight.path_col.data[k] * kCell, y = insight.path_row.data[k] * kCell;
      ctx.fillStyle = insight.path_right.data[k] ? kYes : kNo;
      ctx.fillRect(x - 1, y - 1, kCell + 2, kCell + 2);
      ctx.strokeRect(x - 2, y - 2, kCell + 4, kCell + 4);
    }
    const label = length ? i18n.t('inside.forest.picture', { count: length }) :
      i18n.t('inside.forest.pictureEmpty');
    if (this.picture.getAttribute('aria-label') !== label) this.picture.setAttribute('aria-label', label);
  }
}
