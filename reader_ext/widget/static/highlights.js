// Highlights and notes painted on the reading: one `mark.ar-hl` per text node an annotation
// covers, found again by `data-anno`.

/** @import { AnnotationView, BlockPayload } from "./protocol" */
import { flashElement, h, scrollIntoPane } from "./dom.js";
import { paintRange, unwrapAll } from "./paint.js";

/** @param {string} id */
const marksOf = (id) => `mark.ar-hl[data-anno="${CSS.escape(id)}"]`;

export class Highlights {
  /**
   * @param {HTMLElement} article
   * @param {readonly BlockPayload[]} blocks
   * @param {(id: string) => void} onClick a highlight was clicked (not a gloss inside it)
   */
  constructor(article, blocks, onClick) {
    this.article = article;
    this.blocks = blocks;
    article.addEventListener("click", (event) => {
      const target = /** @type {Element} */ (event.target);
      const mark = /** @type {HTMLElement | null} */ (target.closest?.("mark.ar-hl"));
      if (mark && !target.closest(".ar-gloss")) onClick(mark.dataset.anno || "");
    });
  }

  /** @param {Iterable<AnnotationView>} views */
  paintAll(views) {
    unwrapAll(this.article, "mark.ar-hl");
    for (const view of views) this.paint(view);
  }

  /** @param {AnnotationView} view */
  paint(view) {
    if (view.start === null || view.end === null) return;
    paintRange(this.article, this.blocks, view.start, view.end, () => {
      const mark = h("mark", `ar-hl ${view.mine ? "ar-hl-mine" : "ar-hl-other"}`);
      mark.dataset.anno = view.id;
      if (view.kind === "note") mark.classList.add("ar-hl-note");
      return mark;
    });
  }

  /** @param {string} id */
  erase(id) {
    unwrapAll(this.article, marksOf(id));
  }

  /**
   * Scroll to an annotation's passage and flash it; returns how many marks it has.
   * @param {string} id
   */
  flash(id) {
    const marks = this.article.querySelectorAll(marksOf(id));
    if (marks[0]) scrollIntoPane(marks[0]); // the reading's pane only: the notebook stays put
    for (const m of marks) flashElement(m);
    return marks.length;
  }
}
