// The side panel: every annotation in text order, a page at a time, with filters (whose, tag,
// prompt, and for an instructor, student and, in class mode, discussion group), the orphans
// apart, and the prompts-answered count.

/**
 * @import { AnnotationView, HiddenPayload, LessonPayload, RosterPayload } from "./protocol"
 * @import { Cards } from "./cards.js"
 */
import { hiddenLine, newsLine } from "./classnotices.js";
import { announce, flashElement, h, scrollIntoPane } from "./dom.js";
import { focusOn } from "./cards.js";

// A class can write thousands of annotations: the list shows a page at a time.
const PAGE = 100;
// What the list shows as items (replies sit under what they answer).
/** @type {string[]} */
const TOP_KINDS = ["highlight", "note", "answer", "lesson-note"];

/**
 * A labelled <select>.
 * @param {string} text
 * @param {string[][]} options [value, label] pairs
 */
function select(text, options) {
  const label = h("label", "ar-filter");
  label.append(h("span", "", `${text} `));
  const el = h("select");
  setOptions(el, options);
  label.append(el);
  return { label, select: el };
}

/**
 * @param {HTMLSelectElement} el
 * @param {string[][]} options [value, label] pairs
 */
function setOptions(el, options) {
  el.replaceChildren();
  for (const [value = "", name = ""] of options) {
    const option = h("option", "", name);
    option.value = value;
    el.append(option);
  }
}

/**
 * @param {string} selector
 * @param {ParentNode} root
 */
function find(root, selector) {
  return /** @type {HTMLElement} */ (root.querySelector(selector));
}

export class SideList {
  /**
   * @param {{lesson: LessonPayload, uid: string, instructor: boolean, live: HTMLElement}} where
   * @param {Cards} cards
   * @param {() => void} onFilter the filters changed: refresh what depends on them
   */
  constructor(where, cards, onFilter) {
    this.lesson = where.lesson;
    this.instructor = where.instructor;
    this.cards = cards;
    this.filter = { who: "all", tag: "", prompt: "", student: "", group: "" };
    /** @type {RosterPayload | null} class mode, an instructor: the course's students and groups */
    this.roster = null;
    this.shown = PAGE;
    /** @type {Set<string> | null} the annotations of one passage, when only they are listed */
    this.only = null;
    /** @type {AnnotationView[]} */
    this.all = [];
    this.onFilter = onFilter;
    this.live = where.live;
    /** How many top-level annotations the filters let through, of how many (WCAG 4.1.3). */
    this.count = { shown: 0, total: 0 };
    // Class mode: why classmates' notes are not listed yet, and feedback that came live.
    this.hiddenLine = hiddenLine();
    this.news = newsLine();
    this.el = this.render(where.uid);
  }

  /** @param {string} uid */
  render(uid) {
    const side = h("aside", "ar-side");
    side.setAttribute("aria-labelledby", `${uid}-side-title`);
    const title = h("h3", "ar-side-title", "Annotations");
    title.id = `${uid}-side-title`;
    const filters = h("div", "ar-filters");
    filters.setAttribute("role", "group");
    filters.setAttribute("aria-label", "Filter annotations");
    /**
     * @param {"who" | "tag" | "prompt" | "student" | "group"} key
     * @param {string} text
     * @param {string[][]} options
     */
    const filter = (key, text, options) => {
      const f = select(text, options);
      f.select.classList.add(`ar-filter-${key}`);
      f.select.addEventListener("change", () => {
        this.filter[key] = f.select.value;
        this.only = null;
        // A student outside the group chosen is no longer a filter it can combine with.
        if (key === "group") this.refreshStudents(this.all);
        this.onFilter();
        const { shown, total } = this.count;
        announce(this.live, `${this.title()}: ${shown} of ${total} shown.`);
      });
      filters.append(f.label);
    };
    filter("who", "Show", [
      ["all", "Everyone’s"],
      ["mine", "Mine"],
      ["orphans", "Orphans"],
    ]);
    filter("tag", "Tag", [["", "Any tag"]]);
    filter("prompt", "Prompt", [
      ["", "Any prompt"],
      // Text order, as the prompts are numbered in the reading; instructors see the ids too.
      ...this.lesson.prompts.map((p, i) => [p.id, `Prompt ${i + 1}${this.instructor ? ` (${p.id})` : ""}`]),
    ]);
    if (this.instructor) {
      filter("group", "Group", [["", "All groups"]]);
      find(filters, ".ar-filter-group").closest("label")?.setAttribute("hidden", "");
      filter("student", "Student", [["", "All students"]]);
    }
    const progress = h("p", "ar-progress");
    const newNote = h("div", "ar-new-note");
    // Notes on the whole lesson (a Hypothesis page note, imported): no passage, so first.
    const lessonTitle = h("h4", "ar-lesson-notes-title", "Notes on the whole lesson");
    const lessonNotes = h("ol", "ar-lesson-notes");
    lessonNotes.setAttribute("aria-label", "Notes on the whole lesson");
    // Clicking a passage several annotations share lists only theirs, until "Show all".
    const onlyBar = h("p", "ar-only");
    onlyBar.hidden = true;
    const onlyText = h("span", "ar-only-text");
    const all = h("button", "ar-only-all", "Show all annotations");
    all.addEventListener("click", () => {
      this.only = null;
      this.refresh(this.all);
      find(this.el, ".ar-list").focus();
    });
    onlyBar.append(onlyText, " ", all);
    const list = h("ol", "ar-list");
    list.tabIndex = -1;
    list.setAttribute("aria-label", "Annotations in text order");
    const more = h("button", "ar-more");
    more.hidden = true;
    more.addEventListener("click", () => {
      this.shown += PAGE;
      this.refresh(this.all);
    });
    const empty = h("p", "ar-empty", "No annotations yet. Select text to highlight it or add a note.");
    const orphanTitle = h("h4", "ar-orphans-title", "Orphans: passages no longer in the text");
    const orphans = h("ol", "ar-orphans");
    orphans.setAttribute("aria-label", "Orphaned annotations");
    side.append(title, progress, filters, this.hiddenLine.el, this.news.el, newNote, lessonTitle, lessonNotes, onlyBar, list);
    side.append(more, empty);
    side.append(orphanTitle, orphans);
    return side;
  }

  /**
   * Say what hides classmates' notes (class mode: the lesson's hide until posted), or nothing.
   * @param {HiddenPayload | null} hidden
   */
  setHidden(hidden) {
    this.hiddenLine.set(hidden);
  }

  /**
   * Say, at the head of the list, that something came for this reader (private feedback),
   * with "Show it"; dismissing the line puts the focus on the list.
   * @param {string} text
   * @param {() => void} show
   */
  tell(text, show) {
    this.news.tell(text, show, () => find(this.el, ".ar-list").focus({ preventScroll: true }));
  }

  /** Where a new note's editor goes. */
  get newNoteSlot() {
    return find(this.el, ".ar-new-note");
  }

  /** @param {string} text */
  set progress(text) {
    find(this.el, ".ar-progress").textContent = text;
  }

  /**
   * Whether the filters let `a` through.
   * @param {AnnotationView} a
   */
  passes(a) {
    const f = this.filter;
    if (f.who === "mine" && !a.mine) return false;
    if (f.who === "orphans" && a.anchor !== "orphan") return false;
    if (f.tag && !a.tags.includes(f.tag)) return false;
    if (f.prompt && a.prompt !== f.prompt) return false;
    // A student's annotations, and what the instructors wrote to them alone (1:1).
    if (f.student && a.author !== f.student && a.for_student !== f.student) return false;
    if (f.group && !this.inGroup(a, f.group)) return false;
    return true;
  }

  /**
   * Whether `a` belongs to a discussion group: written by one of its students, or to it.
   * @param {AnnotationView} a
   * @param {string} group
   */
  inGroup(a, group) {
    if (a.for_group === group) return true;
    const found = this.roster?.groups.find((g) => g.name === group);
    return Boolean(found?.students.includes(a.author));
  }

  /**
   * The course's students and groups (class mode, an instructor): the group filter appears,
   * and the student filter lists every student, not only those who wrote.
   * @param {RosterPayload | null} roster
   */
  setRoster(roster) {
    this.roster = roster;
    const el = /** @type {HTMLSelectElement | null} */ (this.el.querySelector(".ar-filter-group"));
    if (!el) return;
    const groups = roster?.groups ?? [];
    const current = el.value;
    const count = (/** @type {number} */ n) => `${n} student${n === 1 ? "" : "s"}`;
    setOptions(el, [
      ["", `All groups (${groups.length})`],
      ...groups.map((g) => [g.name, `${g.name} (${count(g.students.length)})`]),
    ]);
    el.value = groups.some((g) => g.name === current) ? current : "";
    this.filter.group = el.value;
    el.closest("label")?.toggleAttribute("hidden", !groups.length);
  }

  /**
   * Where a top-level item sits in the text (answers sit at their prompt).
   * @param {AnnotationView} a
   */
  position(a) {
    if (a.start !== null) return a.start;
    const prompt = this.lesson.prompts.find((p) => p.id === a.prompt);
    return prompt ? prompt.start : Number.MAX_SAFE_INTEGER;
  }

  /** @param {AnnotationView[]} all every annotation on the lesson */
  refresh(all) {
    this.all = all;
    if (this.instructor) this.refreshStudents(all);
    const top = all.filter((a) => TOP_KINDS.includes(a.kind));
    const onLesson = top.filter((a) => a.kind === "lesson-note" && this.passes(a));
    find(this.el, ".ar-lesson-notes").replaceChildren(...onLesson.map((a) => this.cards.card(a)));
    find(this.el, ".ar-lesson-notes-title").hidden = !onLesson.length;
    const placed = top
      .filter((a) => a.kind !== "lesson-note" && a.anchor !== "orphan")
      .filter((a) => this.passes(a) && (!this.only || this.only.has(a.id)));
    const onlyBar = find(this.el, ".ar-only");
    onlyBar.hidden = !this.only;
    find(onlyBar, ".ar-only-text").textContent = `Showing the ${placed.length} annotations on the passage you chose.`;
    // Each one's place found once, not at every comparison (10,000 annotations: 260,000).
    const at = new Map(placed.map((a) => [a, this.position(a)]));
    const place = (/** @type {AnnotationView} */ a) => /** @type {number} */ (at.get(a));
    placed.sort((a, b) => place(a) - place(b) || a.created.localeCompare(b.created));
    find(this.el, ".ar-list").replaceChildren(
      ...placed.slice(0, this.shown).map((a) => this.cards.card(a)),
    );
    const more = find(this.el, ".ar-more");
    more.hidden = placed.length <= this.shown;
    more.textContent = `Show more (${placed.length - this.shown} not shown)`;
    const orphaned = top.filter((a) => a.anchor === "orphan" && (this.filter.who !== "mine" || a.mine));
    find(this.el, ".ar-orphans").replaceChildren(...orphaned.map((a) => this.cards.card(a)));
    find(this.el, ".ar-orphans-title").hidden = !orphaned.length;
    find(this.el, ".ar-empty").hidden = placed.length + onLesson.length > 0;
    this.refreshTags(top);
    const mine = top.filter((a) => a.mine).length;
    this.count = { shown: placed.length + onLesson.length + orphaned.length, total: top.length };
    find(this.el, ".ar-side-title").textContent = this.filtered()
      ? `${this.title()} (${this.count.shown} of ${top.length} shown)`
      : `Annotations (${top.length}${mine && mine !== top.length ? `, ${mine} mine` : ""})`;
  }

  /** Whether any filter is set. */
  filtered() {
    const f = this.filter;
    return f.who !== "all" || Boolean(f.tag || f.prompt || f.student || f.group);
  }

  /** The list's title for the filters set: "ben’s annotations, tagged “oil”, on prompt 2". */
  title() {
    const f = this.filter;
    let whose = "Annotations";
    if (f.who === "mine") whose = "Your annotations";
    else if (f.who === "orphans") whose = "Orphaned annotations";
    if (f.student) whose = f.who === "all" ? `${f.student}’s annotations` : `${whose} by ${f.student}`;
    const parts = [whose];
    if (f.group) parts.push(`in group ${f.group}`);
    if (f.tag) parts.push(`tagged “${f.tag}”`);
    const n = this.lesson.prompts.findIndex((p) => p.id === f.prompt);
    if (f.prompt) parts.push(`answering prompt ${n + 1}`);
    return parts.join(", ");
  }

  /** @param {AnnotationView[]} top */
  refreshTags(top) {
    const el = /** @type {HTMLSelectElement} */ (find(this.el, ".ar-filter-tag"));
    const tags = [...new Set(top.flatMap((a) => a.tags))].sort((a, b) => a.localeCompare(b));
    const current = el.value;
    setOptions(el, [["", "Any tag"], ...tags.map((t) => [t, t])]);
    el.value = tags.includes(current) ? current : "";
  }

  /** @param {AnnotationView[]} all */
  refreshStudents(all) {
    const el = /** @type {HTMLSelectElement | null} */ (this.el.querySelector(".ar-filter-student"));
    if (!el) return;
    const group = this.roster?.groups.find((g) => g.name === this.filter.group);
    // In class mode every student of the course (or of the group chosen), not only who wrote;
    // the reader's own annotations are "Mine", not a student's.
    const wrote = students(all.filter((a) => !a.mine));
    const everyone = [...new Set([...(this.roster?.students ?? []), ...wrote])];
    const names = group ? [...group.students] : everyone.sort((a, b) => a.localeCompare(b));
    const current = el.value;
    setOptions(el, [["", `All students (${names.length})`], ...names.map((n) => [n, n])]);
    el.value = names.includes(current) ? current : "";
    this.filter.student = el.value;
  }

  /**
   * Show the cards of the annotations on a passage that was clicked: one is found in the whole
   * list; several are listed alone (as Hypothesis selects them), the first focused.
   * @param {string[]} ids
   */
  showCards(ids) {
    if (ids.length < 2) {
      if (ids[0]) this.focusCard(ids[0]);
      return;
    }
    this.only = new Set(ids);
    this.refresh(this.all);
    // The bar that says why the list is short comes into view with the cards under it.
    scrollIntoPane(find(this.el, ".ar-only"), 8); // the list's own pane only: no page jump
    const first = /** @type {HTMLElement | null} */ (this.el.querySelector(".ar-list > .ar-card"));
    first?.focus({ preventScroll: true });
    if (first) flashElement(first);
  }

  /**
   * Show an annotation's card, even when it is past the page shown.
   * @param {string} id
   */
  focusCard(id) {
    if (this.only && !this.only.has(id)) {
      this.only = null;
      this.refresh(this.all);
    }
    const selector = `.ar-card[data-anno="${CSS.escape(id)}"]`;
    if (!this.el.querySelector(selector)) {
      this.shown = Number.MAX_SAFE_INTEGER;
      this.refresh(this.all);
    }
    const card = /** @type {HTMLElement | null} */ (this.el.querySelector(selector));
    if (card) focusOn(card);
  }
}

/**
 * Everyone who wrote an annotation on the lesson, sorted.
 * @param {AnnotationView[]} all
 */
export function students(all) {
  return [...new Set(all.map((a) => a.author))].sort((a, b) => a.localeCompare(b));
}
