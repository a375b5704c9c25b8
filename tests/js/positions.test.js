// Position maths between Python's code-point offsets and the DOM's UTF-16 ones.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  blockSpans,
  codePointLength,
  pieces,
  stacked,
  utf16Index,
} from "../../reader_ext/widget/static/positions.js";

const ROCKET = "\u{1F680}"; // one code point, two UTF-16 units

describe("codePointLength", () => {
  test("counts code points as Python does", () => {
    assert.equal(codePointLength(""), 0);
    assert.equal(codePointLength("abc"), 3);
    assert.equal(codePointLength(`a${ROCKET}b`), 3);
    assert.equal(codePointLength("वसुधैव"), [..."वसुधैव"].length); // combining marks count
  });

  test("a lone surrogate is one code point, as [...s] counts it", () => {
    assert.equal(codePointLength("a\ud800b"), [..."a\ud800b"].length);
    assert.equal(codePointLength("\ud800"), 1);
  });
});

describe("utf16Index", () => {
  test("moves past surrogate pairs", () => {
    const s = `${ROCKET}x${ROCKET}y`;
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((cp) => utf16Index(s, cp)),
      [0, 2, 3, 5, 6],
    );
  });

  test("is clamped to the end of the string", () => {
    assert.equal(utf16Index("ab", 10), 2);
  });
});

describe("pieces", () => {
  test("a range inside one string", () => {
    assert.deepEqual(pieces(["hello world"], 6, 11), [{ index: 0, from: 6, to: 11 }]);
  });

  test("a range across strings (a gloss span in the middle of a sentence)", () => {
    const texts = ["talks on the ", "EAEU", " free trade deal"];
    assert.deepEqual(pieces(texts, 9, 22), [
      { index: 0, from: 9, to: 13 },
      { index: 1, from: 0, to: 4 },
      { index: 2, from: 0, to: 5 },
    ]);
    const joined = texts.join("");
    assert.equal(joined.slice(9, 22), "the EAEU free");
  });

  test("offsets are code points in, UTF-16 units out", () => {
    const texts = [`${ROCKET} go`, `${ROCKET}!`];
    // code points: 🚀 space g o | 🚀 !  — select "go🚀"
    assert.deepEqual(pieces(texts, 2, 5), [
      { index: 0, from: 3, to: 5 },
      { index: 1, from: 0, to: 2 },
    ]);
  });

  test("empty strings and strings outside the range are left out", () => {
    assert.deepEqual(pieces(["ab", "", "cd", "ef"], 1, 3), [
      { index: 0, from: 1, to: 2 },
      { index: 2, from: 0, to: 1 },
    ]);
    assert.deepEqual(pieces(["ab"], 2, 2), []);
    assert.deepEqual(pieces(["ab"], 5, 9), []);
  });
});

describe("blockSpans", () => {
  const blocks = [
    { id: "b1", start: 0, end: 10 },
    { id: "b2", start: 11, end: 20 },
    { id: "b3", start: 21, end: 30 },
  ];

  test("cuts a range at block boundaries, in block offsets", () => {
    assert.deepEqual(blockSpans(blocks, 5, 25), [
      { id: "b1", from: 5, to: 10 },
      { id: "b2", from: 0, to: 9 },
      { id: "b3", from: 0, to: 4 },
    ]);
  });

  test("a range inside one block, and one touching a boundary only", () => {
    assert.deepEqual(blockSpans(blocks, 12, 14), [{ id: "b2", from: 1, to: 3 }]);
    assert.deepEqual(blockSpans(blocks, 10, 11), []);
  });
});

describe("stacked", () => {
  test("markers far enough apart stay where their lines are", () => {
    assert.deepEqual(stacked([0, 22, 44], 18), [0, 22, 44]);
  });

  test("a marker that would overlap the one above goes just below it, and so on down", () => {
    assert.deepEqual(stacked([0, 10, 20, 60], 18), [0, 18, 36, 60]);
    assert.deepEqual(stacked([5, 5], 18), [5, 23]);
    assert.deepEqual(stacked([], 18), []);
  });
});
