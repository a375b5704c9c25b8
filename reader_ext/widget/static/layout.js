// The reader's layout, as a person sees it in JupyterLab's default layout: the reading in its own
// scrolling pane and the annotations in theirs, side by side from WIDE_PX; narrower, a margin of
// markers beside the reading (a count beside each annotated line, as Hypothesis's bucket bar)
// and the annotations in a drawer. The list follows the reading, and a card is shown beside its
// passage, by scrolling the reader's own panes only: the notebook around the widget never jumps.

/**
 * @import { AnnotationView } from "./protocol"
 * @import { SideList } from "./sidelist.js"
 */
import { h, scrollIntoPane } from "./dom.js";
import { buckets, stacked } from "./positions.js";

/** The reader's width (about the output's) from which the annotations sit beside the reading. */
export const WIDE_PX = 680;
// Passages that start within this many pixels share a marker (about one line).
const LINE_PX = 18;
// A marker counts up to this, then says "99+" (its title has the number): it stays one line.
const MAX_SHOWN = 99;
const PANE_MIN_PX = 320;

/**
 * @typedef {{first: (id: string) => Element | undefined, starts: () => Map<string, Element>}} Marks
 * Where annotations are painted (highlights.js): an annotation's first mark, and every painted
 * annotation's first mark in text order.
 */

/**
 * The nearest element from `start` up that scrolls vertically and is no taller than the window
 * (the notebook, the output's own tab), or null. An output area that grows with its content
 * (`overflow: auto` but as tall as the reader) is not it.
 * @param {Element | null} start
 */
function scroller(start) {
  for (let node = start; node; node = node.parentElement) {
    const y = getComputedStyle(node).overflowY;
    if ((y === "auto" || y === "scroll") && node.clientHeight <= window.innerHeight) return node;
  }
  return null;
}

/**
 * The scroller `host` will have once the reader fills it (before it does, so that the panes
 * are laid out once, at their height). The reader is taller than the window, so an output area
 * that grows with it is never its scroller, though it is short now: for as long as it takes to
 * find it, an empty `host` stands as tall (laying out the notebook, not the reader).
 * @param {HTMLElement} host
 */
function scrollerFor(host) {
  const was = host.style.minHeight;
  host.style.minHeight = `${window.innerHeight + 1}px`;
  const found = scroller(host);
  host.style.minHeight = was;
  return found;
}

/**
 * The width a block filling `el` gets (the reader's own `max-width` is far above WIDE_PX).
 * @param {HTMLElement} el
 */
function contentWidth(el) {
  const style = getComputedStyle(el);
  return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}

export class Layout {
  /**
   * @param {{root: HTMLElement, body: HTMLElement, main: HTMLElement, article: HTMLElement,
   *   side: SideList, uid: string, marks: Marks}} parts
   */
  constructor({ root, body, main, article, side, uid, marks }) {
    this.root = root;
    this.marks = marks;
    this.body = body;
    this.main = main;
    this.article = article;
    this.side = side;
    main.classList.add("ar-pane");
    side.el.classList.add("ar-pane");
    side.el.id = `${uid}-side`;
    /** @type {"wide" | "narrow"} */
    this.mode = "wide";
    this.markers = h("div", "ar-buckets");
    this.markers.setAttribute("aria-hidden", "true"); // the list and the drawer say it all
    main.append(this.markers);
    this.toggle = h("button", "ar-drawer-toggle", "Annotations");
    this.toggle.setAttribute("aria-expanded", "false");
    this.toggle.setAttribute("aria-controls", side.el.id);
    this.toggle.hidden = true;
    this.toggle.addEventListener("click", () => this.drawer(!this.isOpen()));
    const close = h("button", "ar-drawer-close", "×");
    close.setAttribute("aria-label", "Close the annotations");
    close.addEventListener("click", () => this.drawer(false, true));
    side.el.prepend(close);
    side.el.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.mode === "narrow" && this.isOpen()) {
        event.preventDefault();
        this.drawer(false, true);
      }
    });
    /** @type {AnnotationView[]} */
    this.views = [];
    let frame = 0;
    main.addEventListener("scroll", () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        this.follow();
      });
    });
    this.observer = new ResizeObserver(() => this.measure());
    this.observer.observe(root);
    this.observer.observe(article);
    this.outer = /** @type {Element | null} */ (null);
    this.markerFrame = 0;
    /** The reading's size the markers were placed for (`readingSize`). */
    this.placed = "";
  }

  /**
   * Choose the layout for the reader's width and the panes' height for the notebook's.
   * @param {HTMLElement} [host] before the reader is attached: the element it is about to fill,
   * whose layout is already done (so that nothing is laid out for this, and the reader is laid
   * out once, in the layout chosen, with its annotations)
   */
  measure(host) {
    const before = host && !this.root.isConnected;
    const outer = this.outer ?? (before ? scrollerFor(host) : scroller(this.root.parentElement));
    if (outer && outer !== this.outer) {
      this.outer = outer;
      this.observer.observe(outer);
    }
    const height = outer ? outer.clientHeight : window.innerHeight;
    const pane = `${Math.max(PANE_MIN_PX, height - 32)}px`;
    // Only a change: the same value set again would still lay the whole reader out again.
    if (this.body.style.getPropertyValue("--ar-pane-height") !== pane) {
      this.body.style.setProperty("--ar-pane-height", pane);
    }
    const mode = (before ? contentWidth(host) : this.root.clientWidth) >= WIDE_PX ? "wide" : "narrow";
    if (mode !== this.mode || !this.root.dataset.layout) {
      this.mode = mode;
      this.root.dataset.layout = mode;
      this.toggle.hidden = mode === "wide";
      if (mode === "wide") this.drawer(false);
    }
    // The markers sit where the passages are in the reading's pane: only a reading laid out
    // anew (another width, or height) moves them, not the panes' height nor the notebook's.
    if (before || this.placed !== this.readingSize()) this.paintMarkers();
  }

  /** The reading's laid-out size, as the markers were last placed for it. */
  readingSize() {
    return `${this.article.offsetWidth}x${this.article.offsetHeight}`;
  }

  isOpen() {
    return this.body.classList.contains("ar-drawer-open");
  }

  /**
   * Open or close the drawer (narrow layout).
   * @param {boolean} open
   * @param {boolean} [refocus] give the focus back to the toggle
   */
  drawer(open, refocus = false) {
    this.body.classList.toggle("ar-drawer-open", open);
    this.toggle.setAttribute("aria-expanded", String(open));
    if (refocus) this.toggle.focus({ preventScroll: true });
  }

  /** @param {AnnotationView[]} views the annotations the list shows (filters applied) */
  refresh(views) {
    this.views = views.filter((a) => a.start !== null && a.kind !== "reply");
    const count = views.filter((a) => a.kind !== "reply").length;
    this.toggle.textContent = `Annotations (${count})`;
    this.paintMarkers();
  }

  /**
   * The markers in the margin, before the next frame: reading where every passage starts lays
   * the reader out, so the changes of one task (the text painted, the list, the panes' height)
   * are laid out once, when the frame would lay them out anyway, not once per change.
   */
  paintMarkers() {
    if (this.markerFrame) return;
    this.markerFrame = requestAnimationFrame(() => {
      this.markerFrame = 0;
      this.placeMarkers();
    });
  }

  /** The markers in the margin: how many annotations start on each line, beside it. */
  placeMarkers() {
    const pane = this.main.getBoundingClientRect();
    const starts = this.marks.starts();
    // Each mark measured once: at 10,000 annotations a thousand marks start them all.
    /** @type {Map<Element, number>} */
    const tops = new Map();
    const items = this.views.flatMap((a) => {
      const mark = starts.get(a.id);
      if (!mark) return [];
      let top = tops.get(mark);
      if (top === undefined) {
        top = mark.getBoundingClientRect().top - pane.top + this.main.scrollTop;
        tops.set(mark, top);
      }
      return [{ id: a.id, top }];
    });
    this.placed = this.readingSize();
    const placed = buckets(items, LINE_PX);
    const markers = placed.map((b) => {
      const count = b.ids.length;
      const marker = h("button", "ar-bucket", count > MAX_SHOWN ? `${MAX_SHOWN}+` : String(count));
      marker.tabIndex = -1;
      marker.title = `${count} annotation${count === 1 ? "" : "s"} here: show`;
      marker.style.top = `${b.top}px`;
      marker.addEventListener("click", () => this.showCard(b.ids[0] || ""));
      return marker;
    });
    this.markers.replaceChildren(...markers);
    // Lines closer than a marker is tall (a large font in the reader, a heading's line beside a
    // paragraph's): the lower marker goes just below the other, never over it.
    const height = markers[0]?.getBoundingClientRect().height || 0;
    stacked(
      placed.map((b) => b.top),
      height,
    ).forEach((top, k) => {
      if (top !== placed[k]?.top) markers[k]?.style.setProperty("top", `${top}px`);
    });
  }

  /**
   * Show an annotation's card beside its passage: in the drawer when it is narrow, and in the
   * list level with the passage when there is room. Only the reader's panes scroll.
   * @param {string} id
   */
  showCard(id) {
    if (this.mode === "narrow") this.drawer(true);
    this.side.focusCard(id);
    const card = this.side.el.querySelector(`.ar-card[data-anno="${CSS.escape(id)}"]`);
    const mark = this.marks.first(id);
    if (!card) return;
    if (this.mode === "wide" && mark) {
      const level = mark.getBoundingClientRect().top - this.main.getBoundingClientRect().top;
      scrollIntoPane(card, Math.max(8, level));
    }
  }

  /**
   * Show the cards of the annotations painted on a passage: one beside it, several in the list
   * narrowed to them.
   * @param {string[]} ids
   */
  showCards(ids) {
    if (ids.length < 2) return this.showCard(ids[0] || "");
    if (this.mode === "narrow") this.drawer(true);
    this.side.showCards(ids);
  }

  /**
   * The list follows the reading: the first card whose passage is in view is put level with
   * it. Not while the reader works in the list (the focus is there), nor in the narrow layout.
   */
  follow() {
    if (this.mode !== "wide" || this.side.el.contains(document.activeElement)) return;
    const top = this.main.getBoundingClientRect().top;
    for (const card of this.side.el.querySelectorAll(".ar-list > .ar-card")) {
      const mark = this.marks.first(/** @type {HTMLElement} */ (card).dataset.anno || "");
      if (!mark) continue;
      const box = mark.getBoundingClientRect();
      if (box.bottom < top + 4) continue;
      // Level with its passage, but whole on screen: a passage near the pane's foot keeps its
      // card above the foot rather than half under it.
      const room = this.side.el.clientHeight - card.getBoundingClientRect().height - 8;
      scrollIntoPane(card, Math.max(8, Math.min(box.top - top, room)));
      return;
    }
  }

  stop() {
    cancelAnimationFrame(this.markerFrame);
    this.observer.disconnect();
  }
}
