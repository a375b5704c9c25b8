// The reader's annotations in the browser: the kernel's answers come in here, and every view of
// them (marks in the text, the side list, prompt answers, comment threads, the heat layer) is
// refreshed from one map of annotations.
//
// The kernel is the source of truth: nothing changes here before Python has said `saved` or
// `deleted`, and forms keep their text (and a draft) until then. After every action the focus
// goes somewhere meaningful (the new card, or back to the text) and a status is said.

/**
 * @import { AnyModel } from "@anywidget/types"
 * @import { AnnotationView, AudienceChoice, KernelMessage, LessonPayload, ReaderState,
 *   RosterPayload } from "./protocol"
 * @import { Selected } from "./selection.js"
 */
import { Cards, threads } from "./cards.js";
import { Comments } from "./comments.js";
import { announce, h } from "./dom.js";
import { editor, focusEditor } from "./editor.js";
import { visibilityChoice } from "./visibility.js";
import { HeatLayer } from "./heatlayer.js";
import { Highlights } from "./highlights.js";
import { Layout } from "./layout.js";
import { Channel } from "./messaging.js";
import { PromptAnswers } from "./prompts.js";
import { revealPanel } from "./reveal.js";
import { paintRange, unwrapAll } from "./paint.js";
import { SelectionBar, placeNear } from "./selection.js";
import { SideList, students } from "./sidelist.js";

export class Annotations {
  /**
   * @param {{model: AnyModel<ReaderState>, lesson: LessonPayload, root: HTMLElement,
   *   article: HTMLElement, live: HTMLElement, uid: string, channel?: Channel}} opts
   */
  constructor({ model, lesson, root, article, live, uid, channel }) {
    this.lesson = lesson;
    this.root = root;
    /** @type {Map<string, AnnotationView>} */
    this.items = new Map();
    /** @type {AudienceChoice[]} who a new note may be for (class mode only) */
    this.audiences = [];
    /** @type {RosterPayload | null} class mode, an instructor: the course's students, groups */
    this.roster = null;
    /** Whether classmates' notes are hidden from this student now (class mode). */
    this.hidden = false;
    this.instructor = model.get("mode") === "instructor";
    this.uid = uid;
    /** @type {{el: HTMLElement} | null} class mode, an instructor: hide until posted */
    this.revealPanel = null;
    this.announce = (/** @type {string} */ text) => announce(live, text);
    this.channel = channel ?? new Channel(model, () => {});
    this.channel.onMessage = (msg) => this.receive(msg);
    this.article = article;
    // Said where everyone sees it, not only in the forms: the kernel is gone.
    this.connection = h("p", "ar-connection");
    this.connection.setAttribute("role", "alert");
    this.connection.hidden = true;
    this.channel.onState = (state, why) => {
      this.connection.hidden = state !== "lost";
      this.connection.textContent =
        state === "lost" ? why.replace("Not saved — ", "Nothing can be saved now: ") : "";
    };
    const where = { lesson, root, article, live, uid, blocks: lesson.blocks };
    const shared = { ...where, channel: this.channel, announce: this.announce };
    this.highlights = new Highlights(article, lesson.blocks, {
      open: (ids) => this.layout.showCards(ids),
      passes: (a) => this.side.passes(a),
    });
    this.cards = new Cards(shared, {
      flash: (id) => this.highlights.flash(id),
      focusCard: (id) => this.layout.showCard(id),
      focusList: () => this.focusText(),
    });
    this.side = new SideList({ ...where, instructor: this.instructor }, this.cards, () => {
      this.highlights.paintAll(this.items.values()); // the text shows what the list shows
      this.refresh();
    });
    this.highlights.followCards(this.side.el);
    this.prompts = new PromptAnswers({
      ...shared,
      instructor: this.instructor,
      answers: () => {
        const { student, group } = this.side.filter;
        if (!student && !group) return null;
        return {
          label: student || `group ${group}`,
          passes: (a) => (!student || a.author === student) && (!group || this.side.inGroup(a, group)),
        };
      },
    });
    this.comments = lesson.comments.length ? new Comments(shared, this.cards) : null;
    this.heat = new HeatLayer(shared, () => {
      const all = [...this.items.values()];
      // The share of the class (or of the group shown) who annotated, as in the report; in
      // class mode the class is the roster, not only those who wrote.
      const { group } = this.side.filter;
      const roster = this.side.roster;
      const inGroup = roster?.groups.find((g) => g.name === group)?.students.length;
      const everyone = roster?.complete ? roster.students.length : students(all).length;
      return {
        views: all.filter((a) => this.side.passes(a)),
        students: (group ? inGroup : everyone) || students(all).length,
        filters: this.side.filtered() ? this.side.title() : "",
      };
    });
    this.selection = new SelectionBar(
      { article, blocks: lesson.blocks, announce: this.announce },
      {
        highlight: (sel) => this.createHighlight(sel),
        note: (sel) => this.openNoteEditor(sel),
      },
    );
    this.editorWhere = { uri: lesson.uri, uid, announce: this.announce };
    /** @type {HTMLElement | null} the open note editor's popover */
    this.notePop = null;
    /** @type {Layout} set by `place`, once the panes exist */
    this.layout = /** @type {Layout} */ (/** @type {unknown} */ (null));
  }

  /**
   * Lay the reader out once its panes exist: the reading's pane holds the selection bar and the
   * note editor, beside the passage.
   * @param {HTMLElement} body
   * @param {HTMLElement} main
   */
  place(body, main) {
    this.main = main;
    main.append(this.selection.el);
    this.layout = new Layout({
      root: this.root,
      body,
      main,
      article: this.article,
      side: this.side,
      uid: this.editorWhere.uid,
      marks: { first: (id) => this.highlights.marksOf(id)[0], starts: () => this.highlights.starts() },
    });
  }

  /** The focus goes back to the reading (never to the page's body), without scrolling. */
  focusText() {
    if (!this.article.hasAttribute("tabindex")) this.article.tabIndex = -1;
    this.article.focus({ preventScroll: true });
  }

  /** @param {KernelMessage} msg */
  receive(msg) {
    if (msg.type === "snapshot") {
      this.audiences = msg.audiences;
      this.setRoster(msg.roster);
      this.side.setHidden(msg.hidden);
      if (this.hidden && !msg.hidden) this.announce("Your classmates’ notes are now shown.");
      this.hidden = Boolean(msg.hidden);
      performance.mark("reader:snapshot"); // benchmarks/browser_bench.py splits its time here
      const before = this.root.dataset.annotationsLoaded ? this.items : null;
      this.items = new Map(msg.annotations.map((a) => [a.id, a]));
      if (before) this.announceFeedback(before);
      this.highlights.paintAll(this.items.values());
      this.refresh();
      this.root.dataset.annotationsLoaded = "true";
    } else if (msg.type === "saved") {
      const view = msg.annotation;
      if (this.items.has(view.id)) this.highlights.erase(view.id);
      this.items.set(view.id, view);
      this.highlights.paint(view);
      this.refresh();
    } else if (msg.type === "deleted") {
      this.items.delete(msg.id);
      this.highlights.erase(msg.id);
      this.refresh();
    }
  }

  /**
   * Class mode: the roster an instructor's reader is sent (filters, 1:1 notes, feedback).
   * @param {RosterPayload | null} roster
   */
  setRoster(roster) {
    this.roster = this.instructor ? roster : null;
    this.cards.instructor = this.instructor;
    this.cards.roster = this.roster;
    this.side.setRoster(this.roster);
    // Class mode (a roster comes only there): the lesson's hide until posted, under the filters.
    if (this.roster && !this.revealPanel) {
      this.revealPanel = revealPanel(this.uid, (msg) => this.channel.request(msg), this.announce);
      this.side.el.querySelector(".ar-filters")?.after(this.revealPanel.el);
    }
  }

  /**
   * Private feedback that came live (not one's own) is said, not only shown: a student with a
   * screen reader learns an instructor wrote to them.
   * @param {Map<string, AnnotationView>} before what was shown until this snapshot
   */
  announceFeedback(before) {
    const fresh = [...this.items.values()].filter(
      (a) => !before.has(a.id) && !a.mine && a.visibility === "instructors",
    );
    if (!fresh.length || this.instructor) return;
    const from = [...new Set(fresh.map((a) => a.author))].join(", ");
    this.announce(`New private feedback from ${from}: it is in your annotations.`);
    const first = fresh[0];
    if (first) this.side.tell(`New private feedback from ${from}.`, () => this.layout.showCard(first.id));
  }

  /** Every view of the annotations, from the map. */
  refresh() {
    const all = [...this.items.values()];
    this.cards.replies = threads(all);
    this.side.refresh(all);
    if (this.heat.on) this.heat.refresh();
    const answered = this.prompts.refresh(all);
    this.side.progress = `Prompts answered: ${answered} of ${this.lesson.prompts.length}`;
    this.comments?.refresh(all);
    this.cards.placeToast();
    this.layout?.refresh(all.filter((a) => this.side.passes(a)));
  }

  /** @param {Selected} sel */
  async createHighlight(sel) {
    const { start, end } = sel;
    const answer = await this.channel.request({ type: "create", kind: "highlight", start, end });
    if (answer.type === "error") {
      this.announce(`Not saved: ${answer.message}`);
      this.selection.el.querySelector("button")?.focus({ preventScroll: true });
      this.selection.show();
      return;
    }
    const selection = document.getSelection();
    if (this.article.classList.contains("ar-caret-mode")) selection?.collapseToEnd();
    else selection?.removeAllRanges();
    this.focusText();
    this.announce("Highlight saved.");
  }

  /**
   * The note editor, in a popover beside the passage (kept marked while the focus is in the
   * box); the passage and the editor both stay in view.
   * @param {Selected} sel
   */
  openNoteEditor(sel) {
    this.closeNote();
    const { start, end } = sel;
    const audience = visibilityChoice(this.editorWhere.uid, this.audiences, this.roster);
    const blocks = this.lesson.blocks;
    const pending = paintRange(this.article, blocks, start, end, () => h("mark", "ar-pending"));
    const pop = h("div", "ar-note-pop");
    const form = editor(this.editorWhere, {
      draftKey: `note:${start}-${end}`,
      quote: sel.text,
      withTags: true,
      label: "New note",
      extra: audience.element,
      save: (body, tags) =>
        this.channel.request({
          type: "create",
          kind: "note",
          ...{ start, end, body, tags },
          ...audience.value(),
        }),
      done: (saved) => {
        this.closeNote();
        if (saved?.type === "saved" && this.layout.mode === "wide") {
          this.layout.showCard(saved.annotation.id);
          return;
        }
        this.focusText();
        if (saved?.type === "saved") this.announce("Note saved; it is in the annotations drawer.");
        else this.announce("Note cancelled; the draft was dropped.");
      },
    });
    pop.append(form);
    (this.main ?? this.article.parentElement)?.append(pop);
    this.notePop = pop;
    const anchor = () => union(pending);
    placeNear(pop, anchor());
    // No room beside the passage for the whole editor: the pane (only) scrolls the passage up.
    const seen = pop.getBoundingClientRect();
    const passage = anchor();
    if (this.main && seen.top < passage.bottom && seen.bottom > passage.top) {
      this.main.scrollTop += passage.top - this.main.getBoundingClientRect().top - 8;
      placeNear(pop, anchor());
    }
    focusEditor(form);
  }

  closeNote() {
    this.notePop?.remove();
    this.notePop = null;
    unwrapAll(this.article, "mark.ar-pending");
  }
}

/**
 * The rectangle around some elements, in the viewport.
 * @param {HTMLElement[]} els
 */
function union(els) {
  const boxes = els.map((el) => el.getBoundingClientRect()).filter((b) => b.width || b.height);
  if (!boxes.length) return new DOMRect();
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.right));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  return new DOMRect(left, top, right - left, bottom - top);
}
