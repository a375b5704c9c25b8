// The heat layer counts students, not annotations (as the report does).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { coverage, legend, level } from "../../reader_ext/widget/static/heat.js";

describe("coverage", () => {
  test("one student annotating a passage five times is one student", () => {
    const spans = Array.from({ length: 5 }, () => ({ author: "ana", start: 3, end: 8 }));
    assert.deepEqual(coverage(spans), [{ start: 3, end: 8, students: 1 }]);
  });

  test("one student's overlapping ranges are merged before counting", () => {
    const spans = [
      { author: "ana", start: 0, end: 6 },
      { author: "ana", start: 4, end: 10 },
      { author: "ben", start: 5, end: 7 },
    ];
    assert.deepEqual(coverage(spans), [
      { start: 0, end: 5, students: 1 },
      { start: 5, end: 7, students: 2 },
      { start: 7, end: 10, students: 1 },
    ]);
  });

  test("runs with the same count that touch are one run", () => {
    const spans = [
      { author: "ana", start: 0, end: 4 },
      { author: "ben", start: 4, end: 9 },
    ];
    assert.deepEqual(coverage(spans), [{ start: 0, end: 9, students: 1 }]);
  });

  test("gaps stay uncovered; empty ranges count for nothing", () => {
    const spans = [
      { author: "ana", start: 0, end: 2 },
      { author: "ben", start: 5, end: 6 },
      { author: "chen", start: 3, end: 3 },
    ];
    assert.deepEqual(coverage(spans), [
      { start: 0, end: 2, students: 1 },
      { start: 5, end: 6, students: 1 },
    ]);
    assert.deepEqual(coverage([]), []);
  });
});

describe("level", () => {
  test("is the share of the class, in five steps", () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((c) => level(c, 3)),
      [0, 2, 4, 5],
    );
    assert.equal(level(1, 100), 1); // anyone at all shows
    assert.equal(level(7, 5), 5); // never past the top
  });
});

describe("legend", () => {
  test("gives the number of students of each shade in use", () => {
    assert.deepEqual(legend(3), [
      [2, "1 of 3 students"],
      [4, "2 of 3 students"],
      [5, "3 of 3 students"],
    ]);
    assert.deepEqual(legend(1), [[5, "1 of 1 student"]]);
    assert.deepEqual(legend(10), [
      [1, "1–2 of 10 students"],
      [2, "3–4 of 10 students"],
      [3, "5–6 of 10 students"],
      [4, "7–8 of 10 students"],
      [5, "9–10 of 10 students"],
    ]);
  });

  test("every count falls in the shade the legend gives for it", () => {
    for (let students = 1; students <= 30; students++) {
      const shades = new Map(legend(students));
      for (let count = 1; count <= students; count++) {
        const label = shades.get(level(count, students)) ?? "";
        const [low = 0, high = low] = label.split(" ")[0]?.split("–").map(Number) ?? [];
        assert.ok(low <= count && count <= high, `${count} of ${students}: ${label}`);
      }
    }
  });
});
