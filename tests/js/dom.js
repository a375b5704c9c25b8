// A DOM for the tests of the modules that paint the reading (jsdom), installed as the
// globals the browser gives them.
import { JSDOM } from "jsdom";

/**
 * A fresh document holding `html` in its body; returns the body.
 * @param {string} html
 */
export function page(html) {
  const { window } = new JSDOM(`<!doctype html><body>${html}</body>`);
  Object.assign(globalThis, {
    document: window.document,
    Node: window.Node,
    NodeFilter: window.NodeFilter,
    // jsdom has no CSS.escape; the ids in these tests need none.
    CSS: { escape: (/** @type {string} */ s) => s },
  });
  return window.document.body;
}
