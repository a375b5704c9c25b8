// Search in the reading (jsdom): folding keeps offsets, matches cross glosses but not blocks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findMatches, foldText } from "../../reader_ext/widget/static/search.js";
import { page } from "./dom.js";

describe("foldText", () => {
  test("ignores case, accents, curly quotes and dashes, code unit for code unit", () => {
    const text = "Türkiye’s “Global South” — INDIA";
    const folded = foldText(text);
    assert.equal(folded, "turkiye's \"global south\" - india");
    assert.equal(folded.length, text.length);
  });

  test("keeps Devanagari and Cyrillic as they are (lower-cased)", () => {
    assert.equal(foldText("वसुधैव कुटुम्बकम्"), "वसुधैव कुटुम्बकम्");
    assert.equal(foldText("Київ"), "київ"); // ї is a letter of its own, not і with an accent
    assert.equal(foldText("kuṭumbakam"), "kutumbakam");
  });
});

describe("findMatches", () => {
  const reading = () =>
    /** @type {HTMLElement} */ (
      page(
        '<article><p data-block="a">The <span class="ar-gloss">Eurasian Economic</span> Union' +
          " and india</p><p data-block=\"b\">India’s choice: Union</p></article>",
      ).querySelector("article")
    );

  test("a match across a glossed term is one range with the page's own text", () => {
    const { ranges } = findMatches(reading(), "economic union");
    assert.deepEqual(
      ranges.map((r) => r.toString()),
      ["Economic Union"],
    );
  });

  test("every occurrence, in text order, whatever its case or apostrophe", () => {
    const { ranges, starts } = findMatches(reading(), "INDIA's");
    assert.deepEqual(
      ranges.map((r) => r.toString()),
      ["India’s"],
    );
    assert.equal(starts.length, 1);
    assert.equal(findMatches(reading(), "india").ranges.length, 2);
  });

  test("never runs from one paragraph into the next", () => {
    assert.equal(findMatches(reading(), "india india").ranges.length, 0);
    assert.equal(findMatches(reading(), "   ").ranges.length, 0);
  });
});
