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

/** @typedef {{left: number, top: number, right: number, bottom: number}} Box */

/**
 * Where to put a box of `size` beside `anchor` (a selection, a passage) so that it stays inside
 * `bounds` (the part of the pane a person sees): just below the anchor, or just above it when
 * there is no room below, and flush with its left edge, clamped to the bounds. All three in one
 * frame of coordinates; the answer too.
 * @param {Box} anchor
 * @param {{width: number, height: number}} size
 * @param {Box} bounds
 * @param {number} [gap]
 * @returns {{left: number, top: number, above: boolean}}
 */
export function placeBeside(anchor, size, bounds, gap = 6) {
  const margin = 4;
  const maxLeft = Math.max(bounds.left + margin, bounds.right - size.width - margin);
  const left = Math.min(Math.max(anchor.left, bounds.left + margin), maxLeft);
  const below = anchor.bottom + gap;
  const above = anchor.top - gap - size.height;
  if (below + size.height <= bounds.bottom - margin) return { left, top: below, above: false };
  if (above >= bounds.top + margin) return { left, top: above, above: true };
  // No room either side (a tall box, a short pane): as low as the bounds allow, never above them.
  const top = Math.max(bounds.top + margin, Math.min(below, bounds.bottom - margin - size.height));
  return { left, top, above: false };
}

/**
 * The visible intersection of two boxes (a scrolling pane and the viewport).
 * @param {Box} a
 * @param {Box} b
 * @returns {Box}
 */
export function intersect(a, b) {
  return {
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.max(Math.max(a.top, b.top), Math.min(a.bottom, b.bottom)),
  };
}

/**
 * @typedef {{top: number, ids: string[]}} Bucket
 * One marker in the margin: the annotations whose passages start near `top`.
 */

/**
 * Group annotations by where their passages start, as Hypothesis's bucket bar does: tops within
 * `within` pixels of a bucket's first one join it. `items` need not be sorted.
 * @param {readonly {id: string, top: number}[]} items
 * @param {number} within
 * @returns {Bucket[]}
 */
export function buckets(items, within) {
  const sorted = [...items].sort((a, b) => a.top - b.top);
  /** @type {Bucket[]} */
  const out = [];
  for (const { id, top } of sorted) {
    const last = out[out.length - 1];
    if (last && top - last.top < within) last.ids.push(id);
    else out.push({ top, ids: [id] });
  }
  return out;
}

/**
 * Where markers of `height` pixels go so that none overlaps the one above: each at its own
 * `top` (sorted), or just below the marker above when that one would reach past it.
 * @param {readonly number[]} tops
 * @param {number} height
 * @returns {number[]}
 */
export function stacked(tops, height) {
  let below = -Infinity;
  return tops.map((top) => {
    const at = Math.max(top, below);
    below = at + height;
    return at;
  });
}

/**
 * How far to scroll a pane (a change of its scrollTop) so that a child at [top, bottom) — in the
 * pane's viewport coordinates — is wholly in `view` [viewTop, viewBottom), moving as little as
 * possible; 0 when it is already in view. A child taller than the view is aligned at its top.
 * @param {number} top
 * @param {number} bottom
 * @param {number} viewTop
 * @param {number} viewBottom
 */
export function scrollDelta(top, bottom, viewTop, viewBottom) {
  if (top >= viewTop && bottom <= viewBottom) return 0;
  if (top < viewTop || bottom - top > viewBottom - viewTop) return top - viewTop;
  return bottom - viewBottom;
}
