// Highlights painted by segment (jsdom): one mark per segment per text node, ids kept in a Map,
// markers for screen readers, one Tab stop, and incremental repaints.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Highlights } from "../../reader_ext/widget/static/highlights.js";
import { wrapRanges } from "../../reader_ext/widget/static/paint.js";
import { page } from "./dom.js";

const TEXT = ["The ambassador spoke of free trade talks.", "India and Russia met again in Delhi."];
const BLOCKS = [
  { id: "b1", start: 0, end: TEXT[0]?.length ?? 0 },
  { id: "b2", start: (TEXT[0]?.length ?? 0) + 2, end: (TEXT[0]?.length ?? 0) + 2 + (TEXT[1]?.length ?? 0) },
];

/**
 * @param {string} id
 * @param {number} start
 * @param {number} end
 * @param {{mine?: boolean, kind?: string, author?: string}} [more]
 * @returns {import("../../reader_ext/widget/static/protocol").AnnotationView}
 */
const view = (id, start, end, more = {}) =>
  /** @type {any} */ ({
    id,
    start,
    end,
    kind: more.kind ?? "highlight",
    mine: more.mine ?? false,
    author: more.author ?? "ana",
    tags: [],
  });

function setup(glossed = false) {
  const first = glossed
    ? 'The ambassador spoke of <span class="ar-gloss">free trade</span> talks.'
    : TEXT[0];
  const body = page(
    `<article><p data-block="b1">${first}</p><p data-block="b2">${TEXT[1]}</p></article>`,
  );
  const article = /** @type {HTMLElement} */ (body.querySelector("article"));
  /** @type {string[][]} */
  const opened = [];
  let shown = (/** @type {any} */ _v) => true;
  const hl = new Highlights(article, BLOCKS, {
    open: (ids) => opened.push(ids),
    passes: (v) => shown(v),
  });
  const marks = () => [...article.querySelectorAll("mark.ar-hl")];
  return {
    article,
    hl,
    opened,
    marks,
    texts: () => marks().map((m) => m.textContent),
    /** @param {(v: any) => boolean} f */
    filter: (f) => (shown = f),
  };
}

describe("wrapRanges", () => {
  test("many ranges of one block in one pass, across a gloss", () => {
    const body = page('<p>talks on the <span class="ar-gloss">EAEU</span> free trade</p>');
    const p = /** @type {Element} */ (body.querySelector("p"));
    const made = wrapRanges(
      p,
      [
        { start: 0, end: 5 },
        { start: 9, end: 21 },
      ],
      () => globalThis.document.createElement("mark"),
    );
    assert.deepEqual(
      made.map((m) => m.el.textContent),
      ["talks", "the ", "EAEU", " fre"],
    );
    assert.equal(p.textContent, "talks on the EAEU free trade");
  });

  test("offsets are code points", () => {
    const body = page("<p>\u{1F680} liftoff \u{1F680} again</p>");
    const p = /** @type {Element} */ (body.querySelector("p"));
    const made = wrapRanges(
      p,
      [
        { start: 2, end: 9 },
        { start: 12, end: 17 },
      ],
      () => globalThis.document.createElement("mark"),
    );
    assert.deepEqual(
      made.map((m) => m.el.textContent),
      ["liftoff", "again"],
    );
  });
});

describe("Highlights", () => {
  test("N overlapping annotations paint one mark per distinct segment, no ids in the DOM", () => {
    const { hl, marks, texts, article } = setup();
    // "free trade talks" (24-40), "trade" (29-34), "talks." (35-41), "ambassador" (4-14)
    hl.paintAll([view("a", 24, 40), view("b", 29, 34), view("c", 35, 41), view("d", 4, 14)]);
    assert.deepEqual(texts(), ["ambassador", "free ", "trade", " ", "talks", "."]);
    assert.equal(marks().length, 6);
    assert.equal(hl.cover.size, 6);
    assert.deepEqual(
      marks().map((m) => hl.cover.get(m)?.ids.join("+")),
      ["d", "a", "a+b", "a", "a+c", "c"],
    );
    assert.ok(!article.innerHTML.includes('"a"'), "ids are not written into the DOM");
    assert.equal(article.textContent, TEXT.join(""));
  });

  test("start and end markers name the kind and whose; overlaps are darker", () => {
    const { hl, marks } = setup();
    hl.paintAll([
      view("a", 24, 40, { kind: "note", author: "bo" }),
      view("b", 24, 34, { mine: true, author: "me" }),
    ]);
    const [first, second] = marks();
    assert.equal(first?.getAttribute("data-sr-start"), "2 annotations start: note by bo, highlight by you");
    assert.equal(first?.getAttribute("data-sr-end"), "highlight by you end");
    assert.equal(second?.getAttribute("data-sr-end"), "note by bo end");
    assert.ok(first?.classList.contains("ar-hl-mine") && first.classList.contains("ar-hl-other"));
    assert.ok(first?.classList.contains("ar-hl-2") && first.classList.contains("ar-hl-note"));
    assert.ok(second?.classList.contains("ar-hl-other") && !second.classList.contains("ar-hl-mine"));
  });

  test("a range across blocks starts in the first and ends in the last", () => {
    const { hl, marks, texts } = setup();
    hl.paintAll([view("x", 35, 48)]);
    assert.deepEqual(texts(), ["talks.", "India"]);
    assert.equal(marks()[0]?.getAttribute("data-sr-start"), "highlight by ana start");
    assert.equal(marks()[0]?.getAttribute("data-sr-end"), null);
    assert.equal(marks()[1]?.getAttribute("data-sr-end"), "highlight by ana end");
  });

  test("one Tab stop among the start marks; arrows move it; Enter opens what starts there", () => {
    const { hl, article, opened } = setup();
    hl.paintAll([view("a", 4, 14), view("b", 24, 40), view("c", 29, 34), view("d", 43, 48)]);
    const stops = [...article.querySelectorAll("mark.ar-hl[tabindex]")];
    assert.deepEqual(
      stops.map((m) => m.textContent),
      ["ambassador", "free ", "trade", "India"],
    );
    assert.deepEqual(
      stops.map((m) => m.getAttribute("tabindex")),
      ["0", "-1", "-1", "-1"],
    );
    assert.ok(stops.every((m) => m.getAttribute("role") === "button"));
    const key = (/** @type {Element} */ el, /** @type {string} */ k) =>
      el.dispatchEvent(
        new (/** @type {any} */ (article.ownerDocument.defaultView).KeyboardEvent)("keydown", {
          key: k,
          bubbles: true,
        }),
      );
    key(/** @type {Element} */ (stops[0]), "ArrowRight");
    assert.equal(article.ownerDocument.activeElement, stops[1]);
    assert.deepEqual(
      stops.map((m) => m.getAttribute("tabindex")),
      ["-1", "0", "-1", "-1"],
    );
    key(/** @type {Element} */ (stops[1]), "Enter");
    assert.deepEqual(opened, [["b"]]);
    key(/** @type {Element} */ (stops[1]), "End");
    assert.equal(article.ownerDocument.activeElement, stops[3]);
    // The Tab stop survives a repaint of its block.
    hl.paint(view("e", 0, 3));
    const now = article.querySelector('mark.ar-hl[tabindex="0"]');
    assert.equal(now?.textContent, "India");
    assert.equal(article.querySelectorAll('mark.ar-hl[tabindex="0"]').length, 1);
  });

  test("a start inside a glossed term: the stop is its first mark outside (no nested controls)", () => {
    const { hl, article, opened } = setup(true);
    hl.paintAll([view("g", 29, 40)]);
    const [first, second] = [...article.querySelectorAll("mark.ar-hl")];
    assert.ok(first?.closest(".ar-gloss"));
    assert.equal(first?.getAttribute("data-sr-start"), "highlight by ana start");
    assert.equal(first?.getAttribute("role"), null);
    assert.equal(first?.getAttribute("tabindex"), null);
    assert.equal(second?.textContent, " talks");
    assert.equal(second?.getAttribute("role"), "button");
    assert.equal(second?.getAttribute("tabindex"), "0");
    assert.equal(second?.getAttribute("aria-description"), "highlight by ana");
    second?.dispatchEvent(
      new (/** @type {any} */ (article.ownerDocument.defaultView).KeyboardEvent)("keydown", {
        key: "Enter",
        bubbles: true,
      }),
    );
    assert.deepEqual(opened, [["g"]]);
  });

  test("a click on a segment offers every annotation covering it", () => {
    const { hl, marks, opened } = setup();
    hl.paintAll([view("a", 24, 40), view("b", 29, 34)]);
    /** @type {HTMLElement} */ (marks()[1]).click();
    assert.deepEqual(opened, [["a", "b"]]);
    // The click that ends a drag selecting text inside a mark opens nothing.
    const doc = /** @type {Document} */ (marks()[1]?.ownerDocument);
    const range = doc.createRange();
    range.selectNodeContents(/** @type {Node} */ (marks()[1]));
    doc.getSelection()?.addRange(range);
    /** @type {HTMLElement} */ (marks()[1]).click();
    assert.equal(opened.length, 1);
  });

  test("add, edit, delete and filter repaint only what changed", () => {
    const { hl, texts, filter, article } = setup();
    hl.paintAll([view("a", 24, 40), view("b", 43, 48)]);
    const india = article.querySelectorAll("mark.ar-hl")[1];
    hl.paint(view("c", 29, 34));
    assert.deepEqual(texts(), ["free ", "trade", " talks", "India"]);
    assert.equal(article.querySelectorAll("mark.ar-hl")[3], india, "the other block is untouched");
    hl.paint(view("c", 35, 40)); // edited: moved to "talks"
    assert.deepEqual(texts(), ["free trade ", "talks", "India"]);
    hl.erase("a");
    assert.deepEqual(texts(), ["talks", "India"]);
    assert.equal(hl.cover.size, 2, "marks taken away leave the Map");
    hl.paint(view("a", 24, 40)); // restored
    assert.deepEqual(texts(), ["free trade ", "talks", "India"]);
    filter((v) => v.id !== "b");
    hl.paintAll([view("a", 24, 40), view("b", 43, 48), view("c", 35, 40)]);
    assert.deepEqual(texts(), ["free trade ", "talks"]);
    assert.equal(article.textContent, TEXT.join(""));
    assert.equal(article.querySelectorAll("p")[0]?.childNodes.length, 4, "text, two marks, text: split nodes joined again");
  });

  test("a card's annotation lights its marks", () => {
    const { hl, article } = setup();
    hl.paintAll([view("a", 24, 40), view("b", 29, 34)]);
    hl.light("b");
    assert.deepEqual(
      [...article.querySelectorAll(".ar-hl-lit")].map((m) => m.textContent),
      ["trade"],
    );
    hl.light("");
    assert.equal(article.querySelectorAll(".ar-hl-lit").length, 0);
  });
});
