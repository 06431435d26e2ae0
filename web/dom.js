// Writes to the page that cost nothing when nothing changes. While a child draws, the panels and
// the open "How does it decide?" view are written in every live frame; the browser then does its
// style, layout and paint work again for whatever was touched, even for a text or an attribute
// set to the value it already had, and that work is most of a throttled tablet's frame
// (scripts/bench_web.mjs).

// Sets an element's text. Its one text node's data changes in place: replacing the node, as
// `textContent =` does, takes its box out of the layout tree and builds a new one.
export function setText(element, text) {
  const node = element.firstChild;
  if (text && node && node === element.lastChild && node.nodeType === Node.TEXT_NODE) {
    if (node.data !== text) node.data = text;
  } else if (element.textContent !== text) {
    element.textContent = text;  // also from or to no text at all (which :empty selectors see)
  }
}

// Sets element.dataset[key] = value (a string).
export function setData(element, key, value) {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

// Sets an attribute (a string), or removes it (null).
export function setAttribute(element, name, value) {
  if (value === null) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}

// Shows or hides an element (its `hidden` attribute, which selectors such as :has(:not([hidden]))
// watch: writing it again restyles their subjects).
export function setHidden(element, hidden) {
  if (element.hidden !== hidden) element.hidden = hidden;
}
