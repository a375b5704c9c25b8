// Highlights and notes painted on the reading. A sweep line (coverage.js) cuts the annotations'
// ranges into segments that the same annotations cover; each segment is one `mark.ar-hl` per
// text node it crosses, and which annotations cover a mark is kept here, in a Map, not in the
// DOM. A change repaints only the blocks it touches.
//
// For screen readers, the mark where annotations start says so ("note by ana start") and the
// one where they end too, in CSS generated content (not copied, not found by text search), as
// Hypothesis does. The marks where annotations start are buttons reached by one Tab stop (a
// roving tabindex: arrow keys move among them); Enter or a click shows their cards.

/** @import { AnnotationView, BlockPayload } from "./protocol" */
/** @import { Segment } from "./coverage.js" */
import { focusPassage } from "./a11y.js";
import { segments } from "./coverage.js";
import { blockElement, flashElement, h, scrollIntoPane } from "./dom.js";
import { unwrapAll, wrapRanges } from "./paint.js";

const MARK = "mark.ar-hl";
const STOP = `${MARK}[tabindex]`;
// A mark inside these is not made a button (no interactive element inside another).
const INTERACTIVE = "a, button, input, select, textarea, .ar-gloss, [role=button], [tabindex]";
/** @type {Record<string, string>} */
const KIND = { highlight: "highlight", note: "note", answer: "answer" };
const NAMED = 3; // how many annotations a start or end marker names before "and N more"

/**
 * @typedef {{open: (ids: string[]) => void, passes: (view: AnnotationView) => boolean}} Hooks
 * `open`: show the cards of these annotations; `passes`: whether the filters show `view`.
 */

export class Highlights {
  /**
   * @param {HTMLElement} article
   * @param {readonly BlockPayload[]} blocks
   * @param {Hooks} hooks
   */
  constructor(article, blocks, hooks) {
    this.article = article;
    this.blocks = blocks;
    this.hooks = hooks;
    /** @type {Map<string, AnnotationView>} the annotations painted, by id */
    this.views = new Map();
    /** @type {Map<Element, Segment>} each mark's segment: which annotations cover it */
    this.cover = new Map();
    /** @type {Map<Element, string[]>} the marks keyboard users stop at, and what Enter opens */
    this.stops = new Map();
    /** The annotation whose first mark is the highlights' Tab stop. */
    this.stopId = "";
    /** @type {Element[]} marks lit by a card under the pointer or focus */
    this.lit = [];
    this.litId = "";
    /** @type {Map<string, Element> | null} `starts()`, until the next repaint */
    this.first = null;
    article.addEventListener("click", (event) => {
      const target = /** @type {Element} */ (event.target);
      const mark = target.closest?.(MARK);
      // A drag that selects text inside a mark ends in a click too: that is not a click on it.
      if (!mark || target.closest(".ar-gloss") || !document.getSelection()?.isCollapsed) return;
      this.hooks.open(this.cover.get(mark)?.ids ?? []);
    });
    article.addEventListener("keydown", (event) => this.onKey(event));
    article.addEventListener("focusin", (event) => {
      const target = /** @type {Element} */ (event.target);
      if (target.matches?.(STOP)) this.setStop(target);
    });
  }

  /** @param {Iterable<AnnotationView>} views every annotation; those the filters pass are shown */
  paintAll(views) {
    this.views = new Map();
    for (const view of views) if (this.shows(view)) this.views.set(view.id, view);
    unwrapAll(this.article, MARK);
    this.cover.clear();
    this.stops.clear();
    this.repaint(this.blocks, false);
  }

  /**
   * Paint a new or changed annotation (or take it away if the filters now hide it).
   * @param {AnnotationView} view
   */
  paint(view) {
    const old = this.views.get(view.id);
    if (this.shows(view)) this.views.set(view.id, view);
    else this.views.delete(view.id);
    this.repaint(this.blocksOf(old, view));
  }

  /** @param {string} id */
  erase(id) {
    const old = this.views.get(id);
    if (!old) return;
    this.views.delete(id);
    this.repaint(this.blocksOf(old));
  }

  /**
   * Scroll to an annotation's passage, flash it and move the focus to it; returns how many marks
   * it has.
   * @param {string} id
   */
  flash(id) {
    const marks = this.marksOf(id);
    if (marks[0]) scrollIntoPane(marks[0]); // the reading's pane only: the notebook stays put
    for (const m of marks) flashElement(m);
    if (marks[0]) focusPassage(/** @type {HTMLElement} */ (marks[0]));
    return marks.length;
  }

  /**
   * Light the marks of the annotation whose card is under the pointer or focused in `side`.
   * @param {HTMLElement} side
   */
  followCards(side) {
    /** @param {Event} event */
    const light = (event) => {
      let card = /** @type {Element | null} */ (event.target);
      // A reply's card sits inside its parent's: light the nearest one painted in the text.
      while ((card = card?.closest?.(".ar-card[data-anno]") ?? null)) {
        const id = /** @type {HTMLElement} */ (card).dataset.anno || "";
        if (this.views.has(id)) return this.light(id);
        card = card.parentElement;
      }
      this.light("");
    };
    side.addEventListener("mouseover", light);
    side.addEventListener("focusin", light);
    side.addEventListener("mouseleave", () => this.light(""));
    side.addEventListener("focusout", () => this.light(""));
  }

  /** @param {string} id the annotation to light, or "" for none */
  light(id) {
    if (id === this.litId && this.lit.every((m) => m.isConnected)) return;
    this.litId = id;
    for (const m of this.lit) m.classList.remove("ar-hl-lit");
    this.lit = id ? this.marksOf(id) : [];
    for (const m of this.lit) m.classList.add("ar-hl-lit");
  }

  /** Every painted annotation's first mark, in text order (the layout's margin markers). */
  starts() {
    if (this.first) return this.first;
    /** @type {Map<string, Element>} */
    const first = new Map();
    for (const m of this.article.querySelectorAll(MARK)) {
      for (const id of this.cover.get(m)?.ids ?? []) if (!first.has(id)) first.set(id, m);
    }
    this.first = first;
    return first;
  }

  /**
   * The marks that show annotation `id`, in text order.
   * @param {string} id
   */
  marksOf(id) {
    /** @type {Element[]} */
    const marks = [];
    for (const block of this.blocksOf(this.views.get(id))) {
      for (const m of blockElement(this.article, block.id)?.querySelectorAll(MARK) ?? []) {
        if (this.cover.get(m)?.ids.includes(id)) marks.push(m);
      }
    }
    return marks;
  }

  /** @param {AnnotationView} view */
  shows(view) {
    return view.start !== null && view.end !== null && this.hooks.passes(view);
  }

  /**
   * The blocks any of `views` lies in, in text order.
   * @param {(AnnotationView | undefined)[]} views
   */
  blocksOf(...views) {
    return this.blocks.filter((b) =>
      views.some((v) => v && v.start !== null && v.end !== null && v.start < b.end && v.end > b.start),
    );
  }

  /**
   * Paint `blocks` again from the annotations: one sweep over those that reach them.
   * @param {readonly BlockPayload[]} blocks in text order
   * @param {boolean} [clear] take their marks away first (paintAll has already)
   */
  repaint(blocks, clear = true) {
    this.first = null;
    const lo = blocks[0]?.start ?? 0;
    const hi = blocks[blocks.length - 1]?.end ?? 0;
    if (clear) {
      for (const block of blocks) {
        const el = blockElement(this.article, block.id);
        if (!el) continue;
        for (const m of el.querySelectorAll(MARK)) {
          this.cover.delete(m);
          this.stops.delete(m);
        }
        unwrapAll(el, MARK);
      }
    }
    /** @type {{id: string, start: number, end: number}[]} */
    const spans = [];
    for (const { id, start, end } of this.views.values()) {
      if (start !== null && end !== null && start < hi && end > lo) spans.push({ id, start, end });
    }
    const segs = segments(spans);
    /** @type {string[]} annotations whose first mark cannot be a stop (it is in a glossed term) */
    const later = [];
    let s = 0;
    for (const block of blocks) {
      while (s < segs.length && /** @type {Segment} */ (segs[s]).end <= block.start) s++;
      /** @type {{start: number, end: number, seg: Segment}[]} */
      const here = [];
      for (let k = s, seg = segs[k]; seg && seg.start < block.end; seg = segs[++k]) {
        const start = Math.max(seg.start, block.start) - block.start;
        here.push({ start, end: Math.min(seg.end, block.end) - block.start, seg });
      }
      const el = here.length ? blockElement(this.article, block.id) : null;
      if (el) later.push(...this.markBlock(el, block, here));
    }
    // Their stop is their first mark outside any control, named by what it opens.
    const outside = this.firstOutside(later);
    for (const id of later) {
      const mark = outside.get(id);
      if (!mark) continue;
      this.makeStop(/** @type {HTMLElement} */ (mark), [id]);
      mark.setAttribute("aria-description", this.marker(this.stops.get(mark) ?? [id], ""));
    }
    this.placeStop();
  }

  /**
   * Each of `ids`' first mark (in text order) outside any control: one walk over the marks,
   * instead of every mark of each annotation looked up again (at 10,000 annotations a thousand
   * start inside a glossed term, and each mark is covered by hundreds).
   * @param {string[]} ids
   * @returns {Map<string, Element>}
   */
  firstOutside(ids) {
    /** @type {Map<string, Element>} */
    const found = new Map();
    const wanted = new Set(ids);
    if (!wanted.size) return found;
    for (const m of this.article.querySelectorAll(MARK)) {
      const covering = this.cover.get(m)?.ids ?? [];
      if (!covering.some((id) => wanted.has(id)) || this.inControl(m)) continue;
      for (const id of covering) {
        if (wanted.delete(id)) found.set(id, m);
      }
      if (!wanted.size) break;
    }
    return found;
  }

  /**
   * @param {Element} el
   * @param {BlockPayload} block
   * @param {{start: number, end: number, seg: Segment}[]} pieces
   * @returns {string[]} the annotations starting here whose first mark is not a stop
   */
  markBlock(el, block, pieces) {
    /** @type {string[]} */
    const later = [];
    const made = wrapRanges(el, pieces, ({ seg }) => this.mark(seg));
    made.forEach(({ range, el: mark }, i) => {
      const { seg } = range;
      const first = made[i - 1]?.range !== range && seg.start >= block.start;
      const last = made[i + 1]?.range !== range && seg.end <= block.end;
      if (first && seg.starts.length) {
        mark.dataset.srStart = this.marker(seg.starts, "start");
        if (this.inControl(mark)) later.push(...seg.starts);
        else this.makeStop(mark, seg.starts);
      }
      if (last && seg.ends.length) mark.dataset.srEnd = this.marker(seg.ends, "end");
    });
    return later;
  }

  /**
   * Whether `mark` sits inside a link, glossed term or other control of the reading.
   * @param {Element} mark
   */
  inControl(mark) {
    const control = mark.parentElement?.closest(INTERACTIVE);
    return Boolean(control && control !== this.article && this.article.contains(control));
  }

  /**
   * @param {HTMLElement} mark
   * @param {string[]} ids what Enter on it opens
   */
  makeStop(mark, ids) {
    const known = this.stops.get(mark);
    if (known) return void known.push(...ids);
    mark.tabIndex = -1;
    mark.setAttribute("role", "button");
    this.stops.set(mark, [...ids]);
  }

  /**
   * A segment's mark: whose (mine, others' or both) and what (a note or highlights only) it
   * shows, and how many annotations overlap there.
   * @param {Segment} seg
   */
  mark(seg) {
    let mine = false;
    let others = false;
    let note = false;
    for (const id of seg.ids) {
      const v = this.views.get(id);
      if (v?.mine) mine = true;
      else others = true;
      if (v?.kind === "note") note = true;
    }
    let cls = "ar-hl";
    if (mine) cls += " ar-hl-mine";
    if (others) cls += " ar-hl-other";
    if (note) cls += " ar-hl-note";
    if (seg.ids.length > 1) cls += seg.ids.length > 2 ? " ar-hl-3" : " ar-hl-2";
    const el = h("mark", cls);
    this.cover.set(el, seg);
    return el;
  }

  /**
   * "note by ana start", "3 annotations end: highlight by you, note by ana, note by bo".
   * @param {string[]} ids
   * @param {"start" | "end" | ""} edge
   */
  marker(ids, edge) {
    const names = ids.slice(0, NAMED).map((id) => {
      const v = this.views.get(id);
      return v ? `${KIND[v.kind] || "annotation"} by ${v.mine ? "you" : v.author}` : "annotation";
    });
    if (ids.length === 1) return `${names[0]} ${edge}`.trim();
    const more = ids.length > NAMED ? ` and ${ids.length - NAMED} more` : "";
    return `${ids.length} annotations ${edge}`.trim() + `: ${names.join(", ")}${more}`;
  }

  /** Keep exactly one start mark in the page's Tab order: the last one focused, or the first. */
  placeStop() {
    const current = this.article.querySelector(`${MARK}[tabindex="0"]`);
    if (current && this.stops.get(current)?.includes(this.stopId)) return;
    const wanted = this.marksOf(this.stopId).find((m) => m.matches(STOP));
    this.setStop(wanted || this.article.querySelector(STOP));
  }

  /** @param {Element | null} mark */
  setStop(mark) {
    for (const m of this.article.querySelectorAll(`${MARK}[tabindex="0"]`)) {
      if (m !== mark) /** @type {HTMLElement} */ (m).tabIndex = -1;
    }
    if (!mark) return;
    /** @type {HTMLElement} */ (mark).tabIndex = 0;
    this.stopId = this.stops.get(mark)?.[0] ?? "";
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    const target = /** @type {HTMLElement} */ (event.target);
    if (!target.matches?.(STOP) || this.article.isContentEditable) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.hooks.open(this.stops.get(target) ?? []);
      return;
    }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    const all = [...this.article.querySelectorAll(STOP)];
    let next;
    if (step) next = all[all.indexOf(target) + step];
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all[all.length - 1];
    else return;
    event.preventDefault();
    if (!next) return;
    this.setStop(next);
    /** @type {HTMLElement} */ (next).focus();
  }
}
