// One annotation as a card: who, when, the passage, the note, its tags, its replies, and what
// one may do with it (show in text, reply, edit and delete one's own, with an undo).

/**
 * @import { AnnotationView, LessonPayload, RosterPayload, ViewKind } from "./protocol"
 * @import { Channel } from "./messaging.js"
 */
import { excerpt, nameFor } from "./a11y.js";
import { flashElement, h, scrollIntoPane, shortTime } from "./dom.js";
import { editor, focusEditor } from "./editor.js";
import { audienceLabel, canGiveFeedback, replyChoice } from "./visibility.js";

/** @type {Record<ViewKind, string>} */
export const KIND_LABEL = {
  highlight: "Highlight",
  note: "Note",
  reply: "Reply",
  answer: "Answer",
  "comment-reply": "Reply to a reader comment",
  "lesson-note": "Note on the whole lesson",
};
// Undo stays 30 s, and for as long as the pointer or the focus is on it (WCAG 2.2.1: it can be
// extended by a simple action); it sits where the deleted card was.
const UNDO_MS = 30000;
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
   * @param {{lesson: LessonPayload, uid: string, channel: Channel, root: HTMLElement,
   *   announce: (text: string) => void}} where
   * @param {{flash: (id: string) => void, focusCard: (id: string) => void,
   *   focusList: () => void}} show
   */
  constructor(where, show) {
    this.lesson = where.lesson;
    this.channel = where.channel;
    this.announce = where.announce;
    this.where = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    this.show = show;
    /** Whether the reader is an instructor's (their cards say who sees what, in class mode). */
    this.instructor = false;
    /** @type {RosterPayload | null} class mode, an instructor: who may get private feedback */
    this.roster = null;
    /** @type {Map<string, AnnotationView[]>} */
    this.replies = new Map();
    this.root = where.root;
    this.toast = h("div", "ar-toast");
    this.toast.hidden = true;
    // Not a live region itself: it is shown and filled at once, which screen readers may miss;
    // what it says goes through the reader's live region, always in the page (this.announce).
    // The toast sits in the list, in the deleted card's place, so it is held by a list item.
    this.slot = h("li", "ar-toast-slot");
    this.slot.append(this.toast);
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.toastTimer = undefined;
    /** @type {(() => void) | null} where the toast goes again after the lists are redrawn */
    this.toastPlace = null;
    /** @type {string | null} the card to focus once the toast is gone */
    this.afterToast = null;
    const hold = () => clearTimeout(this.toastTimer);
    const resume = () => this.startToastTimer();
    this.toast.addEventListener("pointerenter", hold);
    this.toast.addEventListener("focusin", hold);
    this.toast.addEventListener("pointerleave", resume);
    this.toast.addEventListener("focusout", () => setTimeout(resume, 0));
  }

  /**
   * @param {AnnotationView} a
   * @param {number} [depth]
   * @returns {HTMLElement}
   */
  card(a, depth = 0) {
    const item = h("li", `ar-card ar-card-${a.kind}${a.mine ? " ar-card-mine" : ""}`);
    if (a.visibility === "instructors") item.classList.add("ar-card-private");
    item.dataset.anno = a.id;
    item.tabIndex = -1;
    const meta = h("p", "ar-card-meta");
    const time = h("time", "", shortTime(a.created));
    time.dateTime = a.created;
    meta.append(
      h("span", "ar-card-author", a.mine ? `${a.author} (you)` : a.author),
      document.createTextNode(" · "),
      time,
    );
    if (a.modified && a.modified > a.created) {
      const edited = h("time", "ar-card-edited", `edited ${shortTime(a.modified)}`);
      edited.dateTime = a.modified;
      meta.append(document.createTextNode(" · "), edited);
    }
    meta.append(h("span", "ar-card-kind", KIND_LABEL[a.kind] || a.kind));
    if (a.anchor === "fuzzy" || a.anchor === "quote") {
      meta.append(h("span", "ar-card-moved", "re-anchored: the text changed"));
    }
    item.append(meta);
    const audience = audienceLabel(a, this.instructor);
    if (audience) item.append(h("p", "ar-card-audience", audience));
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
    // An instructor's reply to a student's note may be private feedback (a 1:1 thread).
    const audience = canGiveFeedback(a, this.roster) ? replyChoice(this.where.uid, a) : null;
    const form = editor(this.where, {
      draftKey: `reply:${a.id}`,
      label: `Reply to ${a.author}`,
      extra: audience?.element ?? null,
      save: (body) =>
        this.channel.request({
          type: "create",
          kind: "reply",
          reply_to: a.id,
          body,
          ...(audience ? audience.value() : {}),
        }),
      done: (saved) => this.closed(form, saved, a.id, ".ar-reply"),
    });
    item.querySelector(":scope > .ar-card-actions")?.after(form);
    focusEditor(form);
  }

  /**
   * An editor on a card is done: the focus goes to what was saved, or back to the button that
   * opened the editor (never to the page's body, where a screen reader hears nothing).
   * @param {HTMLFormElement} form
   * @param {import("./protocol").Reply | null} saved
   * @param {string} id the card the editor was on
   * @param {string} opener the selector of the button that opened it
   */
  closed(form, saved, id, opener) {
    const card = form.closest(".ar-card");
    form.remove();
    if (saved?.type === "saved") {
      this.show.focusCard(saved.annotation.id);
      return;
    }
    const button = /** @type {HTMLElement | null} */ (
      card?.isConnected ? card.querySelector(`:scope > .ar-card-actions ${opener}`) : null
    );
    if (button) button.focus();
    else this.show.focusCard(id);
    this.announce("Cancelled; the draft was dropped.");
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
      done: (saved) => this.closed(form, saved, a.id, ".ar-edit"),
    });
    item.querySelector(":scope > .ar-card-actions")?.after(form);
    focusEditor(form);
  }

  /** @param {AnnotationView} a */
  async delete(a) {
    const place = this.spotOf(a.id);
    const answer = await this.channel.request({ type: "delete", id: a.id });
    if (answer.type === "error") {
      this.announce(`Not deleted: ${answer.message}`);
      return;
    }
    const said = `${KIND_LABEL[a.kind] || "Annotation"} deleted.`;
    const undo = h("button", "ar-undo", "Undo");
    nameFor(undo, cardSubject(a));
    undo.addEventListener("click", async () => {
      const restored = await this.channel.request({ type: "restore", id: a.id });
      this.hideToast(restored.type === "error" ? null : a.id);
      this.announce(restored.type === "error" ? `Not restored: ${restored.message}` : "Restored.");
    });
    const dismiss = h("button", "ar-toast-close", "×");
    dismiss.setAttribute("aria-label", "Dismiss");
    dismiss.addEventListener("click", () => this.hideToast(null));
    this.toastPlace = place.put;
    this.afterToast = place.next;
    this.toast.hidden = false;
    this.toast.replaceChildren(h("span", "", said));
    this.toast.append(undo, dismiss);
    this.placeToast();
    undo.focus({ preventScroll: true });
    this.announce(said);
    scrollIntoPane(this.toast);
    this.startToastTimer();
  }

  /** The toast's 30 s start again, unless the pointer or the focus is on it (then it waits). */
  startToastTimer() {
    clearTimeout(this.toastTimer);
    if (this.toast.matches(":hover") || this.toast.contains(document.activeElement)) return;
    this.toastTimer = setTimeout(() => this.hideToast(null), UNDO_MS);
  }

  /** Put the toast where the deleted card was (again, after the lists were redrawn). */
  placeToast() {
    if (!this.toast.hidden && this.toastPlace) this.toastPlace();
  }

  /**
   * Hide the toast; the focus, if it was there, goes to `focusId`'s card or to the card that
   * followed the deleted one, never to the page's body.
   * @param {string | null} focusId
   */
  hideToast(focusId) {
    clearTimeout(this.toastTimer);
    const had = this.toast.contains(document.activeElement);
    this.toast.hidden = true;
    this.slot.remove();
    this.toastPlace = null;
    const target = focusId ?? this.afterToast;
    if (focusId) this.show.focusCard(focusId);
    else if (had && target) this.show.focusCard(target);
    else if (had) this.show.focusList();
  }

  /**
   * Where a card is: the card after it (focused once the card is gone) and a function that puts
   * an element in its place, found again by ids since the lists are redrawn on every change.
   * @param {string} id
   * @returns {{next: string | null, put: () => void}}
   */
  spotOf(id) {
    const card = this.root.querySelector(`.ar-card[data-anno="${CSS.escape(id)}"]`);
    const sibling = (/** @type {Element | null | undefined} */ el) =>
      /** @type {HTMLElement | null} */ (el?.matches(".ar-card") ? el : null)?.dataset.anno ?? null;
    const next = sibling(card?.nextElementSibling);
    const prev = sibling(card?.previousElementSibling);
    // A reply's card, or a reader comment (both list items), when no sibling is left.
    const parent = card?.parentElement?.closest("li");
    const find = (/** @type {string | null} */ anno) =>
      anno ? this.root.querySelector(`.ar-card[data-anno="${CSS.escape(anno)}"]`) : null;
    const put = () => {
      const before = find(next);
      const after = find(prev);
      const list = this.root.querySelector(".ar-side .ar-list");
      if (before) before.before(this.slot);
      else if (after) after.after(this.slot);
      else if (parent?.isConnected) parent.after(this.slot);
      else (list ?? this.root).append(this.slot);
    };
    return { next: next ?? prev, put };
  }
}

/**
 * Bring a card into view, focus it and flash it.
 * @param {HTMLElement} card
 */
export function focusOn(card) {
  card.focus({ preventScroll: true });
  scrollIntoPane(card);
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
