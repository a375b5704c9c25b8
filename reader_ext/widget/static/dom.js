// Annotated Reader: the browser side of reader_ext.Reader (anywidget ES module, no build step).
// widget.py joins dom.js, glosses.js, annotations.js and reader.js, in that order, into the
// one module anywidget loads; only reader.js exports.
//
// Python renders and sanitises every piece of HTML this module inserts (the lesson's
// `*_html` fields); everything else — titles, terms, names, URLs — is set as text or as
// attributes, never parsed as HTML.

/**
 * @typedef {{title: string, url: string}} Link
 * @typedef {{key: string, term: string, definition_html: string, note_html: string | null,
 *   original: string | null, transliteration: string | null, as_of: string | null,
 *   sources: Link[], count: number}} Gloss
 * @typedef {{id: string, start: number, end: number}} Block
 * @typedef {{id: string, quote: string, question_html: string, bloom: string, kind: string,
 *   start: number, end: number, block: string}} Prompt
 * @typedef {{id: string, author: string, html: string}} Comment
 * @typedef {{title: string|null, author: string|null, venue: string|null, date: string|null,
 *   url: string|null, certainty: string|null}} Source
 * @typedef {{uri: string, id: string, title: string, summary: string, level: string,
 *   minutes: number, objectives: string[], source: Source, intro_html: string|null,
 *   html: string, text_hash: string, blocks: Block[], glossary: Gloss[], prompts: Prompt[],
 *   comments: Comment[]}} Lesson
 */

const HOVER_OPEN_MS = 200;
const HOVER_CLOSE_MS = 300;
let instances = 0;

/**
 * Create an element with a class and optional text.
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Only http(s) and mailto links leave Python; check again so a bad URL is never a link here.
 * @param {string} url
 */
function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

/**
 * The text nodes of `root` in document order, with their lengths in code points.
 * Offsets from Python count code points; DOM offsets count UTF-16 units.
 * @param {Node} root
 */
function textNodes(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  /** @type {Text[]} */
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(/** @type {Text} */ (n));
  return nodes;
}

/**
 * UTF-16 index in `s` of the code point at index `cp`.
 * @param {string} s
 * @param {number} cp
 */
function utf16Index(s, cp) {
  let i = 0;
  for (let k = 0; k < cp && i < s.length; k++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return i;
}

/**
 * Wrap the code-point range [start, end) of `block`'s text in elements made by `make`,
 * one per text node touched (a range may cross gloss spans).
 * @param {Element} block
 * @param {number} start
 * @param {number} end
 * @param {() => HTMLElement} make
 * @returns {HTMLElement[]}
 */
function wrapRange(block, start, end, make) {
  /** @type {HTMLElement[]} */
  const made = [];
  let pos = 0;
  for (const node of textNodes(block)) {
    const len = [...node.data].length;
    const from = Math.max(start, pos);
    const to = Math.min(end, pos + len);
    if (from < to) {
      // Both ends are measured before splitting: splitText shortens `node`.
      const data = node.data;
      const a = utf16Index(data, from - pos);
      const b = utf16Index(data, to - pos);
      let target = node;
      if (a > 0) target = target.splitText(a);
      if (b - a < target.data.length) target.splitText(b - a);
      const wrapper = make();
      target.parentNode?.insertBefore(wrapper, target);
      wrapper.appendChild(target);
      made.push(wrapper);
    }
    pos += len;
    if (pos >= end) break;
  }
  return made;
}


/**
 * Undo wrapRange for the wrappers matching `selector` inside `root`.
 * @param {Element} root
 * @param {string} selector
 */
function unwrapAll(root, selector) {
  const parents = new Set();
  for (const wrapper of root.querySelectorAll(selector)) {
    const parent = wrapper.parentNode;
    if (!parent) continue;
    while (wrapper.firstChild) parent.insertBefore(wrapper.firstChild, wrapper);
    parent.removeChild(wrapper);
    parents.add(parent);
  }
  for (const parent of parents) /** @type {Node} */ (parent).normalize();
}

/**
 * Code-point offset of the DOM point (node, offset) from the start of `block`'s text.
 * @param {Element} block
 * @param {Node} node
 * @param {number} offset
 */
function pointOffset(block, node, offset) {
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEnd(node, offset);
  return [...range.toString()].length;
}

/**
 * The text of the current selection inside `article` as document offsets, or null.
 * @param {HTMLElement} article
 * @param {Map<string, number>} blockStarts
 * @returns {{start: number, end: number, text: string} | null}
 */
function selectionOffsets(article, blockStarts) {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!article.contains(range.commonAncestorContainer)) return null;
  const blockOf = (/** @type {Node} */ node) =>
    (node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement)
      ?.closest("[data-block]");
  const first = blockOf(range.startContainer);
  const last = blockOf(range.endContainer);
  if (!first || !last || !article.contains(first) || !article.contains(last)) return null;
  const firstStart = blockStarts.get(/** @type {HTMLElement} */ (first).dataset.block || "");
  const lastStart = blockStarts.get(/** @type {HTMLElement} */ (last).dataset.block || "");
  if (firstStart === undefined || lastStart === undefined) return null;
  const start = firstStart + pointOffset(first, range.startContainer, range.startOffset);
  const end = lastStart + pointOffset(last, range.endContainer, range.endOffset);
  const text = range.toString();
  if (end <= start || !text.trim()) return null;
  return { start, end, text };
}

/**
 * A short, readable local time for an ISO timestamp.
 * @param {string} iso
 */
function shortTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
