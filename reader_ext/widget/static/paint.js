// Painting ranges of the reading: wrap a code-point range in elements, and unwrap them again.
// Highlights, prompt quotes and the heat layer all paint through here.

/** @import { BlockPayload } from "./protocol" */
import { blockElement } from "./dom.js";
import { blockSpans, pieces } from "./positions.js";

/**
 * The text nodes under `root`, in document order.
 * @param {Node} root
 * @returns {Text[]}
 */
export function textNodes(root) {
  const walker = root.ownerDocument?.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  /** @type {Text[]} */
  const nodes = [];
  if (!walker) return nodes;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(/** @type {Text} */ (n));
  return nodes;
}

/**
 * Wrap the code-point range [start, end) of `block`'s text in elements made by `make`, one per
 * text node touched (a range may cross gloss spans and other marks).
 * @param {Element} block
 * @param {number} start
 * @param {number} end
 * @param {() => HTMLElement} make
 * @returns {HTMLElement[]}
 */
export function wrapRange(block, start, end, make) {
  const nodes = textNodes(block);
  /** @type {HTMLElement[]} */
  const made = [];
  // Every piece is measured before any node is split: splitText changes the nodes.
  for (const { index, from, to } of pieces(nodes.map((n) => n.data), start, end)) {
    let target = /** @type {Text} */ (nodes[index]);
    if (from > 0) target = target.splitText(from);
    if (to - from < target.data.length) target.splitText(to - from);
    const wrapper = make();
    target.parentNode?.insertBefore(wrapper, target);
    wrapper.appendChild(target);
    made.push(wrapper);
  }
  return made;
}

/**
 * Wrap the document range [start, end) wherever it lies in the reading's blocks.
 * @param {ParentNode} article
 * @param {readonly BlockPayload[]} blocks
 * @param {number} start
 * @param {number} end
 * @param {() => HTMLElement} make
 * @returns {HTMLElement[]}
 */
export function paintRange(article, blocks, start, end, make) {
  /** @type {HTMLElement[]} */
  const made = [];
  for (const { id, from, to } of blockSpans(blocks, start, end)) {
    const el = blockElement(article, id);
    if (el) made.push(...wrapRange(el, from, to, make));
  }
  return made;
}

/**
 * Undo wrapRange for the wrappers matching `selector` inside `root`.
 * @param {ParentNode} root
 * @param {string} selector
 */
export function unwrapAll(root, selector) {
  /** @type {Set<Node>} */
  const parents = new Set();
  for (const wrapper of root.querySelectorAll(selector)) {
    const parent = wrapper.parentNode;
    if (!parent) continue;
    while (wrapper.firstChild) parent.insertBefore(wrapper.firstChild, wrapper);
    parent.removeChild(wrapper);
    parents.add(parent);
  }
  for (const parent of parents) parent.normalize();
}
