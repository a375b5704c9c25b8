// Painting ranges of the reading: wrap a code-point range in elements, and unwrap them again.
// Highlights, prompt quotes and the heat layer all paint through here.

/** @import { BlockPayload } from "./protocol" */
import { blockElement } from "./dom.js";
import { blockSpans, codePointLength, pieces, utf16Index } from "./positions.js";

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
 * @template {{start: number, end: number}} R
 * @typedef {{range: R, el: HTMLElement}} Wrapped
 */

/**
 * Wrap many code-point ranges of `block`'s text at once, in one pass over its text nodes: the
 * ranges are sorted and do not overlap (segments of a sweep line). A range that crosses text
 * nodes gets one element per node, made by `make(range)`. Returns them in text order.
 * @template {{start: number, end: number}} R
 * @param {Element} block
 * @param {readonly R[]} ranges
 * @param {(range: R) => HTMLElement} make
 * @returns {Wrapped<R>[]}
 */
export function wrapRanges(block, ranges, make) {
  const nodes = textNodes(block);
  const lengths = nodes.map((n) => codePointLength(n.data));
  /** @type {{index: number, from: number, to: number, range: R}[]} */
  const plan = [];
  let first = 0; // the first node that can hold the next range
  let base = 0; // its offset in the block
  for (const range of ranges) {
    while (first < nodes.length && base + (lengths[first] ?? 0) <= range.start) {
      base += lengths[first++] ?? 0;
    }
    for (let k = first, at = base; k < nodes.length && at < range.end; at += lengths[k++] ?? 0) {
      const from = Math.max(range.start, at);
      const to = Math.min(range.end, at + (lengths[k] ?? 0));
      if (from >= to) continue;
      const text = /** @type {Text} */ (nodes[k]).data;
      plan.push({ index: k, from: utf16Index(text, from - at), to: utf16Index(text, to - at), range });
    }
  }
  /** @type {Wrapped<R>[]} */
  const made = [];
  // Last piece first: splitting a node only cuts off its tail, so the pieces before it are
  // still where they were measured.
  for (let i = plan.length - 1; i >= 0; i--) {
    const { index, from, to, range } = /** @type {(typeof plan)[number]} */ (plan[i]);
    let target = /** @type {Text} */ (nodes[index]);
    if (to < target.data.length) target.splitText(to);
    if (from > 0) target = target.splitText(from);
    const wrapper = make(range);
    target.parentNode?.insertBefore(wrapper, target);
    wrapper.appendChild(target);
    made.push({ range, el: wrapper });
  }
  return made.reverse();
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
