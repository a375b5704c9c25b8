// The reader's annotations in the browser: the kernel's answers come in here, and every view of
// them (marks in the text, the side list, prompt answers, comment threads, the heat layer) is
// refreshed from one map of annotations.
//
// The kernel is the source of truth: nothing changes here before Python has said `saved` or
// `deleted`, and forms keep their text (and a draft) until then.

/**
 * @import { AnyModel } from "@anywidget/types"
 * @import { AnnotationView, AudienceChoice, KernelMessage, LessonPayload, ReaderState } from "./protocol"
 * @import { Selected } from "./selection.js"
 */
import { Cards, threads } from "./cards.js";
import { Comments } from "./comments.js";
import { announce } from "./dom.js";
import { editor, focusEditor } from "./editor.js";
import { visibilityChoice } from "./visibility.js";
import { HeatLayer } from "./heatlayer.js";
import { Highlights } from "./highlights.js";
import { Channel } from "./messaging.js";
import { PromptAnswers } from "./prompts.js";
import { SelectionBar } from "./selection.js";
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
    this.instructor = model.get("mode") === "instructor";
    this.announce = (/** @type {string} */ text) => announce(live, text);
    this.channel = channel ?? new Channel(model, () => {});
    this.channel.onMessage = (msg) => this.receive(msg);
    const where = { lesson, root, article, live, uid, blocks: lesson.blocks };
    const shared = { ...where, channel: this.channel, announce: this.announce };
    this.highlights = new Highlights(article, lesson.blocks, {
      open: (ids) => this.side.showCards(ids),
      passes: (a) => this.side.passes(a),
    });
    this.cards = new Cards(shared, {
      flash: (id) => this.highlights.flash(id),
      focusCard: (id) => this.side.focusCard(id),
    });
    this.side = new SideList({ ...where, instructor: this.instructor }, this.cards, () => {
      this.highlights.paintAll(this.items.values()); // the text shows what the list shows
      this.refresh();
    });
    this.highlights.followCards(this.side.el);
    this.prompts = new PromptAnswers({
      ...shared,
      instructor: this.instructor,
      student: () => this.side.filter.student,
    });
    this.comments = lesson.comments.length ? new Comments(shared, this.cards) : null;
    this.heat = new HeatLayer(shared, () => {
      const all = [...this.items.values()];
      return {
        views: all.filter((a) => this.side.passes(a)),
        students: students(all).length,
        filters: this.side.filtered() ? this.side.title() : "",
      };
    });
    this.selection = new SelectionBar(where, {
      highlight: (sel) => this.createHighlight(sel),
      note: (sel) => this.openNoteEditor(sel),
    });
    this.editorWhere = { uri: lesson.uri, uid, announce: this.announce };
  }

  /** @param {KernelMessage} msg */
  receive(msg) {
    if (msg.type === "snapshot") {
      this.audiences = msg.audiences;
      performance.mark("reader:snapshot"); // benchmarks/browser_bench.py splits its time here
      this.items = new Map(msg.annotations.map((a) => [a.id, a]));
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

  /** Every view of the annotations, from the map. */
  refresh() {
    const all = [...this.items.values()];
    this.cards.replies = threads(all);
    this.side.refresh(all);
    if (this.heat.on) this.heat.refresh();
    const answered = this.prompts.refresh(all);
    this.side.progress = `Prompts answered: ${answered} of ${this.lesson.prompts.length}`;
    this.comments?.refresh(all);
  }

  /** @param {Selected} sel */
  async createHighlight(sel) {
    const { start, end } = sel;
    const answer = await this.channel.request({ type: "create", kind: "highlight", start, end });
    if (answer.type === "error") this.announce(`Not saved: ${answer.message}`);
    else {
      this.announce("Highlight saved.");
      document.getSelection()?.removeAllRanges();
    }
  }

  /** @param {Selected} sel */
  openNoteEditor(sel) {
    const slot = this.side.newNoteSlot;
    slot.replaceChildren();
    const { start, end } = sel;
    const audience = visibilityChoice(this.editorWhere.uid, this.audiences);
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
      done: () => slot.replaceChildren(),
    });
    slot.append(form);
    focusEditor(form);
  }
}
