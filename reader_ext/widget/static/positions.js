// Position maths between the reading's plain text and the DOM, with no DOM: pure functions.
//
// Python counts offsets in code points (`str` indexing); the DOM counts UTF-16 code units. A
// character outside the Basic Multilingual Plane (an emoji, some scripts) is one code point but
// two UTF-16 units, so every offset that crosses the boundary goes through these functions.

/** @import { BlockPayload } from "./protocol" */

/**
 * The length of `s` in code points.
 * @param {string} s
 */
export function codePointLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i += unitsAt(s, i)) n++;
  return n;
}

/**
 * UTF-16 index in `s` of the code point at index `cp` (clamped to the end of `s`).
 * @param {string} s
 * @param {number} cp
 */
export function utf16Index(s, cp) {
  let i = 0;
  for (let k = 0; k < cp && i < s.length; k++) i += unitsAt(s, i);
  return i;
}

/**
 * 2 if a surrogate pair starts at UTF-16 index `i` of `s`, else 1 (as `[...s]` counts).
 * @param {string} s
 * @param {number} i
 */
function unitsAt(s, i) {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return 1;
  const next = s.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

/**
 * @typedef {{index: number, from: number, to: number}} Piece
 * The UTF-16 range [from, to) of the `index`-th string that a code-point range covers.
 */

/**
 * Where the code-point range [start, end) of the concatenation of `texts` falls in each of
 * them: one piece per string it touches, empty strings and untouched ones left out.
 * @param {readonly string[]} texts
 * @param {number} start
 * @param {number} end
 * @returns {Piece[]}
 */
export function pieces(texts, start, end) {
  /** @type {Piece[]} */
  const out = [];
  let pos = 0;
  for (const [index, text] of texts.entries()) {
    if (pos >= end) break;
    const len = codePointLength(text);
    const from = Math.max(start, pos);
    const to = Math.min(end, pos + len);
    if (from < to) {
      out.push({ index, from: utf16Index(text, from - pos), to: utf16Index(text, to - pos) });
    }
    pos += len;
  }
  return out;
}

/**
 * @typedef {{id: string, from: number, to: number}} BlockSpan
 * The part [from, to) of the document range that lies in block `id`, in the block's offsets.
 */

/**
 * Cut the document range [start, end) at block boundaries.
 * @param {readonly BlockPayload[]} blocks
 * @param {number} start
 * @param {number} end
 * @returns {BlockSpan[]}
 */
export function blockSpans(blocks, start, end) {
  /** @type {BlockSpan[]} */
  const out = [];
  for (const block of blocks) {
    if (block.end <= start || block.start >= end) continue;
    out.push({
      id: block.id,
      from: Math.max(start, block.start) - block.start,
      to: Math.min(end, block.end) - block.start,
    });
  }
  return out;
}
