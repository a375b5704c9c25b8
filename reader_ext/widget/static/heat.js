// What the heat layer shows, with no DOM: per passage, how many *students* annotated it.
//
// The same meaning and the same scale as the instructor's report (reader_ext/course/heatmap.py):
// one student highlighting a sentence five times is one reader's attention, so ranges are
// merged per student before they are counted, and the five levels are shares of the class.
// tests/test_widget.py runs `level` and `legend` against the Python ones.

/**
 * @typedef {{author: string, start: number, end: number}} Span
 * @typedef {{start: number, end: number, students: number}} Run
 * A stretch [start, end) of the text that `students` distinct students annotated.
 */

/**
 * The maximal runs of text covered by at least one student, with how many cover each.
 * @param {Iterable<Span>} spans
 * @returns {Run[]}
 */
export function coverage(spans) {
  /** @type {Map<string, [number, number][]>} */
  const byStudent = new Map();
  for (const { author, start, end } of spans) {
    if (end <= start) continue;
    const ranges = byStudent.get(author) ?? [];
    ranges.push([start, end]);
    byStudent.set(author, ranges);
  }
  /** @type {Map<number, number>} */
  const delta = new Map();
  for (const ranges of byStudent.values()) {
    for (const [start, end] of merge(ranges)) {
      delta.set(start, (delta.get(start) ?? 0) + 1);
      delta.set(end, (delta.get(end) ?? 0) - 1);
    }
  }
  const points = [...delta.keys()].sort((x, y) => x - y);
  /** @type {Run[]} */
  const runs = [];
  let depth = 0;
  for (const [i, point] of points.entries()) {
    depth += delta.get(point) ?? 0;
    const next = points[i + 1];
    if (depth <= 0 || next === undefined) continue;
    const last = runs.at(-1);
    if (last && last.end === point && last.students === depth) last.end = next;
    else runs.push({ start: point, end: next, students: depth });
  }
  return runs;
}

/**
 * One student's ranges, overlapping or touching ones joined, in text order.
 * @param {[number, number][]} ranges
 * @returns {[number, number][]}
 */
function merge(ranges) {
  /** @type {[number, number][]} */
  const out = [];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * 0 (nobody) to 5 (the whole class), proportional to the share of `students`.
 * @param {number} count
 * @param {number} students
 */
export function level(count, students) {
  if (count <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil((5 * count) / Math.max(students, 1))));
}

/**
 * [level, label] of each shade for a class of `students`, e.g. [2, "2–3 of 10 students"].
 * @param {number} students
 * @returns {[number, string][]}
 */
export function legend(students) {
  /** @type {[number, string][]} */
  const items = [];
  for (let lvl = 1; lvl <= 5; lvl++) {
    const low = Math.floor(((lvl - 1) * students) / 5) + 1;
    const high = Math.floor((lvl * students) / 5);
    if (low > high) continue;
    const label = low === high ? `${low}` : `${low}–${high}`;
    items.push([lvl, `${label} of ${students} student${students === 1 ? "" : "s"}`]);
  }
  return items;
}
