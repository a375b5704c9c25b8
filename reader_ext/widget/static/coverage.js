// Which annotations cover which stretch of the reading: a sweep line over their ranges, with no
// DOM (pure functions). Highlights paint one mark per segment this finds, not one per annotation.

/**
 * @typedef {{id: string, start: number, end: number}} Span
 * An annotation's range [start, end) in the document's code points.
 */

/**
 * @typedef {{start: number, end: number, ids: string[], starts: string[], ends: string[]}} Segment
 * A stretch [start, end) covered by the same annotations throughout: `ids` in the order they
 * start (ties in input order); `starts` and `ends` are those of them that begin or finish here.
 */

/**
 * Cut the ranges into maximal segments of identical coverage, in text order. Two neighbouring
 * segments always differ in coverage; stretches that nothing covers, and empty ranges, are left
 * out. O(n log n + output).
 * @param {Iterable<Span>} spans
 * @returns {Segment[]}
 */
export function segments(spans) {
  /** @typedef {{at: number, open: boolean, order: number, id: string}} Edge */
  /** @type {Edge[]} */
  const edges = [];
  let order = 0;
  for (const { id, start, end } of spans) {
    if (!(start < end)) continue;
    edges.push({ at: start, open: true, order, id }, { at: end, open: false, order, id });
    order++;
  }
  edges.sort((a, b) => a.at - b.at || a.order - b.order);
  /** @type {Segment[]} */
  const out = [];
  // The ranges covering the sweep line (their ids), keyed by input order.
  /** @type {Map<number, string>} */
  const open = new Map();
  /** @type {Segment | null} */
  let current = null;
  let i = 0;
  while (i < edges.length) {
    const at = /** @type {Edge} */ (edges[i]).at;
    /** @type {string[]} */
    const starts = [];
    /** @type {string[]} */
    const ends = [];
    for (let e = edges[i]; e && e.at === at; e = edges[++i]) {
      if (e.open) {
        open.set(e.order, e.id);
        starts.push(e.id);
      } else {
        open.delete(e.order);
        ends.push(e.id);
      }
    }
    if (current) {
      current.end = at;
      current.ends = ends;
      current = null;
    }
    if (open.size) {
      // The map holds them in the order they opened, which is the edges' order (position, then
      // input order): already the order `ids` wants, with no sort per segment.
      current = { start: at, end: at, ids: [...open.values()], starts, ends: [] };
      out.push(current);
    }
  }
  return out;
}
