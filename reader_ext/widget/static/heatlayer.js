// The instructor's heat layer on the reading: each passage shaded by how many students
// annotated it (as in the report), a legend that gives the numbers, and each mark's count in
// its title and description, so the map is readable without telling shades apart.

/** @import { AnnotationView, BlockPayload } from "./protocol" */
import { h } from "./dom.js";
import { coverage, legend, level } from "./heat.js";
import { paintRange, unwrapAll } from "./paint.js";

/** @param {number} n */
const studentsLabel = (n) => `${n} student${n === 1 ? "" : "s"}`;

export class HeatLayer {
  /**
   * @param {{article: HTMLElement, blocks: readonly BlockPayload[], uid: string,
   *   announce: (text: string) => void}} where
   * @param {() => {views: AnnotationView[], students: number, filters: string}} current the
   *   annotations the filters let through, the number of students in the class, and what the
   *   filters show ("" when none is set)
   */
  constructor(where, current) {
    this.article = where.article;
    this.blocks = where.blocks;
    this.announce = where.announce;
    this.current = current;
    this.on = false;
    this.button = h("button", "ar-heat-toggle", "Heat map");
    this.button.setAttribute("aria-pressed", "false");
    this.button.addEventListener("click", () => {
      this.on = !this.on;
      this.button.setAttribute("aria-pressed", String(this.on));
      this.refresh();
    });
    this.legend = h("figure", "ar-heat-legend");
    this.legend.id = `${where.uid}-heat-legend`;
    this.legend.hidden = true;
    this.button.setAttribute("aria-controls", this.legend.id);
  }

  /** Repaint (or clear) the layer for the annotations shown now. */
  refresh() {
    unwrapAll(this.article, "mark.ar-heat");
    this.article.classList.toggle("ar-heatmode", this.on);
    this.legend.hidden = !this.on;
    if (!this.on) return;
    const { views, students, filters } = this.current();
    /** @type {{author: string, start: number, end: number}[]} */
    const spans = [];
    for (const a of views) {
      if (a.start !== null && a.end !== null) spans.push({ author: a.author, start: a.start, end: a.end });
    }
    const runs = coverage(spans);
    for (const run of runs) {
      const shade = level(run.students, students);
      const text = `${run.students} of ${studentsLabel(students)}`;
      paintRange(this.article, this.blocks, run.start, run.end, () => {
        const mark = h("mark", `ar-heat ar-heat-${shade}`);
        mark.title = text;
        mark.setAttribute("aria-description", `Heat map: ${text}`);
        return mark;
      });
    }
    this.fillLegend(students, filters);
    const most = Math.max(0, ...runs.map((r) => r.students));
    this.announce(
      `Heat map on: ${most ? `up to ${most} of ${studentsLabel(students)} on one passage` : "no annotations"}.`,
    );
  }

  /**
   * @param {number} students
   * @param {string} filters what the filters show, e.g. "ben’s annotations, tagged “oil”"
   */
  fillLegend(students, filters) {
    const title = `Heat map: students per passage${filters ? ` — ${filters}` : ""}`;
    const caption = h("figcaption", "ar-heat-legend-title", title);
    const list = h("ul", "ar-heat-legend-list");
    for (const [shade, label] of legend(students)) {
      const item = h("li", "ar-heat-legend-item");
      const swatch = h("span", `ar-heat-swatch ar-heat-${shade}`);
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, label);
      list.append(item);
    }
    this.legend.replaceChildren(caption, list);
  }
}
