// Painting ranges of the reading in a real (jsdom) DOM: wrap, across nodes and blocks, unwrap.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { paintRange, unwrapAll, wrapRange } from "../../reader_ext/widget/static/paint.js";
import { page } from "./dom.js";

const mark = () => {
  const el = globalThis.document.createElement("mark");
  el.className = "t";
  return el;
};

/** @param {Element} root */
const marked = (root) => [...root.querySelectorAll("mark.t")].map((m) => m.textContent);

describe("wrapRange", () => {
  test("wraps one text node's range", () => {
    const body = page('<p id="b">free trade talks</p>');
    const p = /** @type {Element} */ (body.querySelector("p"));
    const made = wrapRange(p, 5, 10, mark);
    assert.equal(made.length, 1);
    assert.equal(p.innerHTML, 'free <mark class="t">trade</mark> talks');
  });

  test("a range across a gloss span makes one mark per text node", () => {
    const body = page('<p>talks on the <span class="ar-gloss">EAEU</span> free trade</p>');
    const p = /** @type {Element} */ (body.querySelector("p"));
    wrapRange(p, 9, 21, mark);
    assert.deepEqual(marked(p), ["the ", "EAEU", " fre"]);
    assert.equal(p.textContent, "talks on the EAEU free trade");
    assert.ok(p.querySelector(".ar-gloss > mark.t"), "the gloss keeps its span, the mark inside");
  });

  test("offsets are code points: text after an emoji is found", () => {
    const body = page("<p>\u{1F680} liftoff</p>");
    const p = /** @type {Element} */ (body.querySelector("p"));
    wrapRange(p, 2, 9, mark);
    assert.deepEqual(marked(p), ["liftoff"]);
  });

  test("painting over an existing mark nests, and unwrapping restores the text", () => {
    const body = page("<p>one two three</p>");
    const p = /** @type {Element} */ (body.querySelector("p"));
    wrapRange(p, 4, 7, mark);
    wrapRange(p, 0, 13, mark);
    assert.equal(p.querySelectorAll("mark.t").length, 1 + 3); // "one ", "two" (again), " three"
    unwrapAll(p, "mark.t");
    assert.equal(p.innerHTML, "one two three");
    assert.equal(p.childNodes.length, 1, "the split text nodes are joined again");
  });
});

describe("paintRange", () => {
  test("a document range that crosses blocks is painted in each", () => {
    const body = page(
      '<article><p data-block="b1">First block.</p><p data-block="b2">Second one.</p></article>',
    );
    const article = /** @type {Element} */ (body.querySelector("article"));
    const blocks = [
      { id: "b1", start: 0, end: 12 },
      { id: "b2", start: 14, end: 25 },
    ];
    const made = paintRange(article, blocks, 6, 20, mark);
    assert.deepEqual(
      made.map((m) => m.textContent),
      ["block.", "Second"],
    );
  });

  test("a block missing from the page is skipped", () => {
    const body = page('<article><p data-block="b1">Only.</p></article>');
    const article = /** @type {Element} */ (body.querySelector("article"));
    const blocks = [
      { id: "b0", start: 0, end: 3 },
      { id: "b1", start: 4, end: 9 },
    ];
    assert.deepEqual(
      paintRange(article, blocks, 0, 9, mark).map((m) => m.textContent),
      ["Only."],
    );
  });
});
