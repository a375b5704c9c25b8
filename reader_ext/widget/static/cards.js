// One annotation as a card: who, when, the passage, the note, its tags, its replies, and what
// one may do with it (show in text, reply, edit and delete one's own, with an undo).

/**
 * @import { AnnotationView, LessonPayload, ViewKind } from "./protocol"
 * @import { Channel } from "./messaging.js"
 */
import { excerpt, nameFor, scrollBehavior } from "./a11y.js";
import { flashElement, h, shortTime } from "./dom.js";
import { editor, focusEditor } from "./editor.js";

/** @type {Record<ViewKind, string>} */
export const KIND_LABEL = {
  highlight: "Highlight",
  note: "Note",
  reply: "Reply",
  answer: "Answer",
  "comment-reply": "Reply to a reader comment",
  "lesson-note": "Note on the whole lesson",
};
const UNDO_MS = 12000;
// Deeper threads are shown, but not replied to in place: a card this deep is already narrow.
const MAX_REPLY_DEPTH = 6;

/**
 * The replies to each annotation, in the order given.
 * @param {Iterable<AnnotationView>} views
 */
export function threads(views) {
  /** @type {Map<string, AnnotationView[]>} */
  const replies = new Map();
  for (const a of views) {
    if (a.kind !== "reply" || !a.reply_to) continue;
    const thread = replies.get(a.reply_to) ?? [];
    thread.push(a);
    replies.set(a.reply_to, thread);
  }
  return replies;
}

export class Cards {
  /**
   * @param {{lesson: LessonPayload, uid: string, channel: Channel,
   *   announce: (text: string) => void}} where
   * @param {{flash: (id: string) => void, focusCard: (id: string) => void}} show
   */
  constructor(where, show) {
    this.lesson = where.lesson;
    this.channel = where.channel;
    this.announce = where.announce;
    this.where = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    this.show = show;
    /** @type {Map<string, AnnotationView[]>} */
    this.replies = new Map();
    this.toast = h("div", "ar-toast");
    this.toast.hidden = true;
    // Not a live region itself: it is shown and filled at once, which screen readers may miss;
    // what it says goes through the reader's live region, always in the page (this.announce).
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.toastTimer = undefined;
  }

  /**
   * @param {AnnotationView} a
   * @param {number} [depth]
   * @returns {HTMLElement}
   */
  card(a, depth = 0) {
    const item = h("li", `ar-card ar-card-${a.kind}${a.mine ? " ar-card-mine" : ""}`);
    item.dataset.anno = a.id;
    item.tabIndex = -1;
    const meta = h("p", "ar-card-meta");
    const time = h("time", "", shortTime(a.created));
    time.dateTime = a.created;
    meta.append(
      h("span", "ar-card-author", a.mine ? `${a.author} (you)` : a.author),
      document.createTextNode(" · "),
      time,
      h("span", "ar-card-kind", KIND_LABEL[a.kind] || a.kind),
    );
    if (a.anchor === "fuzzy" || a.anchor === "quote") {
      meta.append(h("span", "ar-card-moved", "re-anchored: the text changed"));
    }
    item.append(meta);
    if (a.quote) item.append(h("blockquote", "ar-card-quote", a.quote));
    if (a.kind === "lesson-note") {
      item.append(h("p", "ar-card-lesson", "About the whole lesson, not a passage"));
    }
    if (a.kind === "answer") {
      const index = this.lesson.prompts.findIndex((p) => p.id === a.prompt);
      item.append(h("p", "ar-card-prompt", `Answer to prompt ${index + 1}`));
    }
    const body = h("div", "ar-card-body");
    body.innerHTML = a.body_html; // rendered and sanitised in Python (reader_ext.text.markup)
    item.append(body);
    if (a.tags.length) {
      const tags = h("ul", "ar-tags");
      tags.setAttribute("aria-label", "Tags");
      for (const t of a.tags) tags.append(h("li", "ar-tag", t));
      item.append(tags);
    }
    item.append(this.actions(item, a, depth));
    const replies = this.replies.get(a.id) || [];
    if (replies.length) {
      const thread = h("ol", "ar-replies");
      thread.setAttribute("aria-label", `${replies.length} repl${replies.length === 1 ? "y" : "ies"}`);
      for (const r of replies) thread.append(this.card(r, depth + 1));
      item.append(thread);
    }
    return item;
  }

  /**
   * @param {HTMLElement} item
   * @param {AnnotationView} a
   * @param {number} depth
   */
  actions(item, a, depth) {
    const actions = h("div", "ar-card-actions");
    if (a.start !== null) {
      const show = h("button", "ar-show", "Show in text");
      show.addEventListener("click", () => {
        this.show.flash(a.id); // the passage takes the focus: say which it is
        this.announce(`Shown in the text: ${excerpt(a.quote || "")}`);
      });
      actions.append(show);
    }
    if (depth < MAX_REPLY_DEPTH) {
      const reply = h("button", "ar-reply", "Reply");
      reply.addEventListener("click", () => this.openReply(item, a));
      actions.append(reply);
    }
    if (a.mine) {
      const edit = h("button", "ar-edit", "Edit");
      edit.addEventListener("click", () => this.openEdit(item, a));
      const del = h("button", "ar-delete", "Delete");
      del.addEventListener("click", () => this.delete(a));
      actions.append(edit, del);
    }
    for (const button of actions.querySelectorAll("button")) nameFor(button, cardSubject(a));
    return actions;
  }

  /**
   * @param {HTMLElement} item
   * @param {AnnotationView} a
   */
  openReply(item, a) {
    const form = editor(this.where, {
      draftKey: `reply:${a.id}`,
      label: `Reply to ${a.author}`,
      save: (body) => this.channel.request({ type: "create", kind: "reply", reply_to: a.id, body }),
      done: () => form.remove(),
    });
    item.querySelector(":scope > .ar-card-actions")?.after(form);
    focusEditor(form);
  }

  /**
   * @param {HTMLElement} item
   * @param {AnnotationView} a
   */
  openEdit(item, a) {
    const form = editor(this.where, {
      draftKey: `edit:${a.id}`,
      label: `Edit ${KIND_LABEL[a.kind] || "annotation"}`,
      initial: a.body,
      initialTags: a.tags,
      withTags: a.kind !== "reply" && a.kind !== "answer" && a.kind !== "comment-reply",
      save: (body, tags) => this.channel.request({ type: "edit", id: a.id, body, tags }),
      done: () => form.remove(),
    });
    item.querySelector(":scope > .ar-card-actions")?.after(form);
    focusEditor(form);
  }

  /** @param {AnnotationView} a */
  async delete(a) {
    const answer = await this.channel.request({ type: "delete", id: a.id });
    if (answer.type === "error") {
      this.announce(`Not deleted: ${answer.message}`);
      return;
    }
    const said = `${KIND_LABEL[a.kind] || "Annotation"} deleted.`;
    this.toast.replaceChildren(h("span", "", said));
    const undo = h("button", "ar-undo", "Undo");
    nameFor(undo, cardSubject(a));
    undo.addEventListener("click", async () => {
      const restored = await this.channel.request({ type: "restore", id: a.id });
      this.toast.hidden = true;
      this.announce(restored.type === "error" ? restored.message : "Restored.");
      if (restored.type !== "error") this.show.focusCard(a.id);
    });
    this.toast.append(undo);
    this.toast.hidden = false;
    undo.focus();
    this.announce(said);
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast.hidden = true), UNDO_MS);
  }
}

/**
 * Bring a card into view, focus it and flash it.
 * @param {HTMLElement} card
 */
export function focusOn(card) {
  card.scrollIntoView({ block: "nearest", behavior: scrollBehavior() });
  card.focus({ preventScroll: true });
  flashElement(card);
}

/**
 * What a card's buttons are for, in their accessible names: "Reply: Ana’s note on “free trade
 * talks”", or the words of a reply or an answer (Markdown marks dropped) where it has no passage.
 * @param {AnnotationView} a
 */
function cardSubject(a) {
  const kind = (KIND_LABEL[a.kind] || a.kind).toLowerCase();
  const who = a.mine ? "your" : `${a.author}’s`;
  if (a.quote) return `${who} ${kind} on “${excerpt(a.quote, 40)}”`;
  const words = excerpt(a.body.replace(/[*_`#>[\]]+/g, ""), 40);
  return words ? `${who} ${kind}: “${words}”` : `${who} ${kind}`;
}
