// Search in the reading: JupyterLab's own find (Ctrl+F) does not look into outputs, so the
// reader has its own box. Matches are shown with the CSS Custom Highlight API, which paints
// ranges without touching the DOM (the reading's marks, glosses and selections stay as they are).
// Case, Latin accents and typographic quotes and dashes are ignored, code unit for code unit, so
// that an offset in the folded text is an offset in the page's text.

import { h } from "./dom.js";
import { reveal, visibleArea } from "./onscreen.js";

const MAX_MATCHES = 2000;
const TYPING_MS = 150;
// Between two blocks, so that a match never runs from one paragraph into the next.
const BREAK = "\u0000";
// Not the reading: form controls and their labels, a prompt's badge line and its answer box.
const SKIP = "textarea, input, select, button, script, style, form, .ar-prompt-label, .ar-answer";
const BLOCKS = "[data-block], .ar-prompt";

const QUOTES = /** @type {Record<string, string>} */ ({
  "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
  "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
  "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "\u00a0": " ",
});
/** @type {Map<string, string>} */
const folded = new Map();

/**
 * One code unit as search compares it: lower case, without accents, plain quotes and dashes.
 * @param {string} c
 */
function foldUnit(c) {
  let out = folded.get(c);
  if (out === undefined) {
    // Accents are dropped from Latin letters only (é → e, ṭ → t): in other scripts a mark can
    // make another letter (Ukrainian ї is not і, Devanagari क़ is not क).
    const code = c.charCodeAt(0);
    const latin = (code >= 0xc0 && code <= 0x24f) || (code >= 0x1e00 && code <= 0x1eff);
    const base = QUOTES[c] ?? (latin ? c.normalize("NFD")[0] : c) ?? c;
    const lower = base.toLocaleLowerCase();
    out = lower.length === 1 ? lower : base;
    folded.set(c, out);
  }
  return out;
}

/** @param {string} text */
export function foldText(text) {
  let out = "";
  for (let i = 0; i < text.length; i++) out += foldUnit(text.charAt(i));
  return out;
}

/** @typedef {{nodes: Text[], starts: number[], text: string}} TextIndex */

/**
 * The reading's visible text, folded, with where each text node starts in it.
 * @param {HTMLElement} article
 * @returns {TextIndex}
 */
function indexText(article) {
  // One walk over elements and text: what search skips is rejected with its whole subtree, and
  // a block (or a prompt) starting is seen as an element, without a lookup per text node.
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => {
      if (node.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
      const el = /** @type {Element} */ (node);
      if (el.matches(SKIP)) return NodeFilter.FILTER_REJECT;
      return el.matches(BLOCKS) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  /** @type {Text[]} */
  const nodes = [];
  /** @type {number[]} */
  const starts = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType !== Node.TEXT_NODE) {
      if (nodes.length && !text.endsWith(BREAK)) text += BREAK;
      continue;
    }
    const textNode = /** @type {Text} */ (node);
    nodes.push(textNode);
    starts.push(text.length);
    text += foldText(textNode.data);
  }
  return { nodes, starts, text };
}

/**
 * The DOM point of folded offset `at`.
 * @param {TextIndex} index
 * @param {number} at
 * @param {boolean} end the end of a match (a point at a node's end, not the next one's start)
 * @returns {[Text, number]}
 */
function point(index, at, end) {
  let lo = 0;
  let hi = index.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const start = index.starts[mid] ?? 0;
    if (start < at || (!end && start === at)) lo = mid;
    else hi = mid - 1;
  }
  const node = /** @type {Text} */ (index.nodes[lo]);
  return [node, Math.min(at - (index.starts[lo] ?? 0), node.length)];
}

/**
 * Every place (up to MAX_MATCHES) where `query` occurs in the reading, folded as foldText does,
 * as DOM ranges (across glosses and marks, never across two blocks), with their folded offsets.
 * @param {HTMLElement} article
 * @param {string} query
 * @returns {{starts: number[], ranges: Range[]}}
 */
export function findMatches(article, query) {
  const wanted = foldText(query.trim());
  if (!wanted) return { starts: [], ranges: [] };
  const index = indexText(article);
  /** @type {number[]} */
  const starts = [];
  for (let i = index.text.indexOf(wanted); i >= 0 && starts.length < MAX_MATCHES; ) {
    starts.push(i);
    i = index.text.indexOf(wanted, i + wanted.length);
  }
  const ranges = starts.map((start) => {
    const range = document.createRange();
    range.setStart(...point(index, start, false));
    range.setEnd(...point(index, start + wanted.length, true));
    return range;
  });
  return { starts, ranges };
}

// Highlights are registered by name for the whole page: every reader on it shares these two.
/** @type {{all: Highlight, current: Highlight} | null} */
let shared = null;
function highlights() {
  if (!shared && typeof CSS !== "undefined" && "highlights" in CSS) {
    shared = { all: new Highlight(), current: new Highlight() };
    shared.current.priority = 1;
    CSS.highlights.set("ar-search", shared.all);
    CSS.highlights.set("ar-search-current", shared.current);
  }
  return shared;
}

export class Search {
  /**
   * @param {{article: HTMLElement, uid: string}} where
   */
  constructor(where) {
    this.article = where.article;
    /** @type {Range[]} */
    this.ranges = [];
    /** @type {number[]} where each match starts in the folded text */
    this.starts = [];
    this.current = -1;
    /** What was searched for last, folded. */
    this.query = "";
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.el = h("div", "ar-search");
    this.el.setAttribute("role", "search");
    this.el.setAttribute("aria-label", "Search the reading");
    const label = h("label", "ar-search-label");
    label.append(h("span", "", "Search the reading "));
    this.input = h("input", "ar-search-input");
    this.input.type = "search";
    this.input.autocomplete = "off";
    this.input.spellcheck = false;
    this.input.id = `${where.uid}-search`;
    this.input.setAttribute("aria-keyshortcuts", "Control+F");
    this.input.setAttribute("aria-describedby", `${where.uid}-search-count`);
    label.append(this.input);
    this.prev = h("button", "ar-search-prev", "↑");
    this.prev.setAttribute("aria-label", "Previous match");
    this.prev.title = "Previous match (Shift+Enter)";
    this.next = h("button", "ar-search-next", "↓");
    this.next.setAttribute("aria-label", "Next match");
    this.next.title = "Next match (Enter)";
    this.count = h("output", "ar-search-count");
    this.count.id = `${where.uid}-search-count`;
    this.count.setAttribute("aria-live", "polite");
    this.el.append(label, this.prev, this.next, this.count);
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(0), TYPING_MS);
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.step(event.shiftKey ? -1 : 1);
      } else if (event.key === "Escape" && this.input.value) {
        event.stopPropagation(); // the first Escape clears; the next is the reader's
        this.clear();
      }
    });
    // While one searches, the box stays in sight: once its place scrolls out of the visible
    // part of the notebook, it floats at the top of it (position: sticky does not stick inside
    // JupyterLab's output, whose ancestors clip).
    this.slot = h("div", "ar-search-slot");
    this.slot.append(this.el);
    const follow = () => this.float();
    this.el.addEventListener("focusin", () => {
      document.addEventListener("scroll", follow, true);
      this.float();
    });
    this.el.addEventListener("focusout", (event) => {
      if (this.el.contains(/** @type {Node | null} */ (event.relatedTarget))) return;
      document.removeEventListener("scroll", follow, true);
      this.el.classList.remove("ar-search-floating");
      this.el.style.top = "";
    });
    this.prev.addEventListener("click", () => this.step(-1));
    this.next.addEventListener("click", () => this.step(1));
    this.setButtons();
    // The reading changes under a search (a highlight painted, an answer shown): find again,
    // staying at the same place in the text.
    this.observer = new MutationObserver(() => {
      if (!this.input.value) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(this.at), TYPING_MS);
    });
    this.observer.observe(this.article, { childList: true, subtree: true, characterData: true });
    /** Where the current match starts in the folded text. */
    this.at = 0;
  }

  /**
   * Find the box's text; the current match becomes the first at or after `from`.
   * @param {number} from a folded-text offset
   */
  run(from) {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.forget();
    const wanted = foldText(this.input.value.trim());
    this.query = wanted;
    if (!wanted) {
      this.show();
      return;
    }
    const { starts, ranges } = findMatches(this.article, this.input.value);
    this.ranges = ranges;
    this.starts = starts;
    const marks = highlights();
    for (const range of this.ranges) marks?.all.add(range);
    const next = starts.findIndex((start) => start >= from);
    this.current = this.ranges.length ? Math.max(next, 0) : -1;
    this.show();
  }

  /**
   * The next (1) or previous (-1) match, round the end.
   * @param {number} delta
   */
  step(delta) {
    if (this.timer !== undefined || this.query !== foldText(this.input.value.trim())) {
      // Typed (or the text changed) since the last search: search now; Enter on a new query
      // goes to its first match, on the same query to the next one.
      const same = this.query === foldText(this.input.value.trim()) && this.current >= 0;
      this.run(this.at);
      if (!same) return;
    }
    if (!this.ranges.length) return;
    this.current = (this.current + delta + this.ranges.length) % this.ranges.length;
    this.show();
  }

  /** Paint the current match, bring it into view, and say where it is. */
  show() {
    const marks = highlights();
    marks?.current.clear();
    const range = this.ranges[this.current];
    const n = this.ranges.length;
    if (!this.input.value.trim()) this.count.textContent = "";
    else if (!range) this.count.textContent = "No matches";
    else {
      this.at = this.starts[this.current] ?? 0;
      marks?.current.add(range);
      const more = n >= MAX_MATCHES ? " or more" : "";
      this.count.textContent = `${this.current + 1} of ${n}${more}`;
      const box = () => range.getBoundingClientRect();
      const area = visibleArea(this.article);
      const at = box();
      if (at.top < area.top || at.bottom > area.bottom) {
        reveal(/** @type {Element} */ (range.startContainer.parentElement), box);
      }
    }
    this.setButtons();
  }

  /** Float the box at the top of the visible area if its own place is out of sight. */
  float() {
    const area = visibleArea(this.slot);
    const place = this.slot.getBoundingClientRect();
    const parent = /** @type {HTMLElement | null} */ (this.el.offsetParent);
    const away = place.top < area.top || place.bottom > area.bottom;
    this.slot.style.minHeight = away ? `${place.height}px` : "";
    this.el.classList.toggle("ar-search-floating", away);
    if (!away || !parent) {
      this.el.style.top = "";
      return;
    }
    const origin = parent.getBoundingClientRect();
    this.el.style.top = `${area.top - origin.top + 4}px`;
  }

  setButtons() {
    this.prev.disabled = this.next.disabled = this.ranges.length < 2;
  }

  /** Take this search's ranges off the page. */
  forget() {
    const marks = highlights();
    for (const range of this.ranges) {
      marks?.all.delete(range);
      marks?.current.delete(range);
    }
    this.ranges = [];
    this.starts = [];
    this.current = -1;
  }

  clear() {
    this.input.value = "";
    this.at = 0;
    this.forget();
    this.show();
  }

  /** Put the focus in the box, its text selected (as Ctrl+F does in a browser). */
  focus() {
    this.input.focus();
    this.input.select();
  }

  /**
   * Ctrl+F (⌘F) with the focus in the reader searches the reading instead of the notebook.
   * Listens on the window in the capture phase, before JupyterLab's own shortcut handling.
   * @param {HTMLElement} root
   * @returns {() => void} stop listening (and take the highlights off)
   */
  shortcut(root) {
    const onKey = (/** @type {KeyboardEvent} */ event) => {
      if (event.key.toLowerCase() !== "f" || !(event.ctrlKey || event.metaKey)) return;
      if (event.altKey || event.shiftKey) return;
      if (!root.contains(/** @type {Node} */ (event.target))) return;
      event.preventDefault();
      event.stopPropagation();
      this.focus();
    };
    window.addEventListener("keydown", onKey, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      this.observer.disconnect();
      this.forget();
    };
  }
}
