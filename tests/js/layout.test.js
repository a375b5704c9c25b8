// The geometry of the reader's layout, with no DOM: where a toolbar or editor goes beside a
// selection, how margin markers group, how far a pane scrolls to show a card.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  buckets,
  intersect,
  placeBeside,
  scrollDelta,
} from "../../reader_ext/widget/static/positions.js";

const PANE = { left: 0, top: 0, right: 500, bottom: 600 };
const SIZE = { width: 180, height: 36 };

describe("placeBeside", () => {
  test("just below the selection, flush with its left edge", () => {
    const at = placeBeside({ left: 100, top: 200, right: 300, bottom: 220 }, SIZE, PANE);
    assert.deepEqual(at, { left: 100, top: 226, above: false });
  });

  test("above the selection when there is no room below", () => {
    const at = placeBeside({ left: 100, top: 560, right: 300, bottom: 580 }, SIZE, PANE);
    assert.equal(at.above, true);
    assert.equal(at.top, 560 - 6 - 36);
  });

  test("clamped to the pane's right edge", () => {
    const at = placeBeside({ left: 450, top: 100, right: 490, bottom: 120 }, SIZE, PANE);
    assert.equal(at.left, 500 - 180 - 4);
  });

  test("never above the pane's top, even when it fits nowhere", () => {
    const tall = { width: 180, height: 700 };
    const at = placeBeside({ left: 10, top: 100, right: 60, bottom: 120 }, tall, PANE);
    assert.equal(at.top, 4);
  });

  test("works in a frame that does not start at 0 (a scrolled pane)", () => {
    const bounds = { left: 0, top: 1000, right: 500, bottom: 1600 };
    const at = placeBeside({ left: 20, top: 1300, right: 80, bottom: 1320 }, SIZE, bounds);
    assert.deepEqual(at, { left: 20, top: 1326, above: false });
  });
});

describe("intersect", () => {
  test("the part of a pane inside the viewport", () => {
    const pane = { left: 300, top: -400, right: 1000, bottom: 1400 };
    const viewport = { left: 0, top: 0, right: 1280, bottom: 900 };
    assert.deepEqual(intersect(pane, viewport), { left: 300, top: 0, right: 1000, bottom: 900 });
  });

  test("empty, not negative, when they do not meet", () => {
    const box = intersect({ left: 0, top: 1000, right: 10, bottom: 1100 }, PANE);
    assert.equal(box.bottom - box.top, 0);
  });
});

describe("buckets", () => {
  test("passages that start on the same line share one marker", () => {
    const got = buckets(
      [
        { id: "c", top: 300 },
        { id: "a", top: 100 },
        { id: "b", top: 110 },
      ],
      16,
    );
    assert.deepEqual(got, [
      { top: 100, ids: ["a", "b"] },
      { top: 300, ids: ["c"] },
    ]);
  });

  test("none for no annotations", () => {
    assert.deepEqual(buckets([], 16), []);
  });
});

describe("scrollDelta", () => {
  test("nothing when the card is in view", () => {
    assert.equal(scrollDelta(100, 200, 0, 600), 0);
  });

  test("down by as little as shows it", () => {
    assert.equal(scrollDelta(650, 700, 0, 600), 100);
  });

  test("up to its top", () => {
    assert.equal(scrollDelta(-50, 20, 0, 600), -50);
  });

  test("a card taller than the pane is aligned at its top", () => {
    assert.equal(scrollDelta(100, 900, 0, 600), 100);
  });
});
