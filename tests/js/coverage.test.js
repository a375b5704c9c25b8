// The sweep line that cuts annotations' ranges into segments of identical coverage.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { segments } from "../../reader_ext/widget/static/coverage.js";

/** @param {ReturnType<typeof segments>} segs */
const brief = (segs) => segs.map((s) => `${s.start}-${s.end}:${s.ids.join("+")}`);

describe("segments", () => {
  test("one range is one segment that starts and ends it", () => {
    assert.deepEqual(segments([{ id: "a", start: 3, end: 9 }]), [
      { start: 3, end: 9, ids: ["a"], starts: ["a"], ends: ["a"] },
    ]);
  });

  test("two overlapping ranges make three segments", () => {
    const segs = segments([
      { id: "a", start: 0, end: 10 },
      { id: "b", start: 5, end: 15 },
    ]);
    assert.deepEqual(brief(segs), ["0-5:a", "5-10:a+b", "10-15:b"]);
    assert.deepEqual(
      segs.map((s) => [s.starts, s.ends]),
      [
        [["a"], []],
        [["b"], ["a"]],
        [[], ["b"]],
      ],
    );
  });

  test("nested, touching and disjoint ranges; gaps are left out", () => {
    const segs = segments([
      { id: "outer", start: 0, end: 20 },
      { id: "inner", start: 5, end: 8 },
      { id: "next", start: 20, end: 25 },
      { id: "far", start: 40, end: 41 },
    ]);
    assert.deepEqual(brief(segs), ["0-5:outer", "5-8:outer+inner", "8-20:outer", "20-25:next", "40-41:far"]);
  });

  test("identical ranges share one segment, ids in input order", () => {
    const segs = segments([
      { id: "x", start: 2, end: 6 },
      { id: "y", start: 2, end: 6 },
      { id: "z", start: 2, end: 6 },
    ]);
    assert.deepEqual(brief(segs), ["2-6:x+y+z"]);
    assert.deepEqual(segs[0]?.starts, ["x", "y", "z"]);
    assert.deepEqual(segs[0]?.ends, ["x", "y", "z"]);
  });

  test("ids are ordered by where they start, whatever the input order", () => {
    const segs = segments([
      { id: "late", start: 4, end: 10 },
      { id: "early", start: 0, end: 10 },
    ]);
    assert.deepEqual(brief(segs), ["0-4:early", "4-10:early+late"]);
  });

  test("empty and inverted ranges paint nothing", () => {
    assert.deepEqual(
      segments([
        { id: "e", start: 5, end: 5 },
        { id: "i", start: 9, end: 3 },
      ]),
      [],
    );
  });

  test("neighbouring segments always differ in coverage, and every point is covered right", () => {
    // A deterministic pseudo-random store: 300 ranges on 500 positions.
    let seed = 7;
    const rand = (/** @type {number} */ n) => ((seed = (seed * 48271) % 2147483647) % n);
    const spans = Array.from({ length: 300 }, (_, i) => {
      const start = rand(480);
      return { id: `a${i}`, start, end: start + 1 + rand(20) };
    });
    const segs = segments(spans);
    for (let k = 1; k < segs.length; k++) {
      const [a, b] = [segs[k - 1], segs[k]];
      if (a && b && a.end === b.start) assert.notDeepEqual([...a.ids].sort(), [...b.ids].sort());
    }
    for (let at = 0; at < 500; at++) {
      const want = spans.filter((s) => s.start <= at && at < s.end).map((s) => s.id);
      const seg = segs.find((s) => s.start <= at && at < s.end);
      assert.deepEqual([...(seg?.ids ?? [])].sort(), want.sort(), `at ${at}`);
    }
    // Each range starts in exactly one segment and ends in exactly one.
    assert.equal(segs.flatMap((s) => s.starts).length, 300);
    assert.equal(segs.flatMap((s) => s.ends).length, 300);
  });
});
