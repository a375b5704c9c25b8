// Annotations: highlights and notes on the text, replies, prompt answers, the side list.
//
// The kernel is the source of truth: every change is a message to Python, which checks it,
// stores it and answers `saved` / `deleted` / `error`. Nothing typed is dropped before the
// kernel says it is saved: forms keep their text (and a draft in localStorage) until then.

/**
 * @typedef {{id: string, kind: string, author: string, mine: boolean, created: string,
 *   modified: string, body: string, body_html: string, tags: string[], quote: string|null,
 *   start: number|null, end: number|null, anchor: string|null, reply_to: string|null,
 *   prompt: string|null, comment: string|null}} AnnotationView
 */

const KIND_LABEL = /** @type {Record<string, string>} */ ({
  highlight: "Highlight",
  note: "Note",
  reply: "Reply",
  answer: "Answer",
  "comment-reply": "Reply to a reader comment",
});
const UNDO_MS = 12000;
// A class can write thousands of annotations: the list shows a page at a time.
const PAGE = 100;

class Annotations {
  /**
   * @param {{model: any, lesson: Lesson, root: HTMLElement, article: HTMLElement,
   *   live: HTMLElement, uid: string}} opts
   */
  constructor({ model, lesson, root, article, live, uid }) {
    this.model = model;
    this.lesson = lesson;
    this.root = root;
    this.article = article;
    this.live = live;
    this.uid = uid;
    /** @type {Map<string, AnnotationView>} */
    this.items = new Map();
    /** @type {Map<number, {resolve: (m: any) => void}>} */
    this.pending = new Map();
    this.nextReq = 1;
    this.blockStarts = new Map(lesson.blocks.map((b) => [b.id, b.start]));
    /** @type {{start: number, end: number, text: string} | null} */
    this.selection = null;
    this.filter = { who: "all", tag: "", prompt: "", student: "" };
    this.shown = PAGE;
    this.instructor = model.get("mode") === "instructor";
    this.side = this.renderSide();
    this.selbar = this.renderSelectionBar();
    this.toast = h("div", "ar-toast");
    this.toast.hidden = true;
    this.toast.setAttribute("role", "status");
    this.listenForSelection();
    this.article.addEventListener("click", (event) => {
      const mark = /** @type {HTMLElement | null} */ (
        /** @type {Element} */ (event.target).closest?.("mark.ar-hl")
      );
      if (mark && !(/** @type {Element} */ (event.target).closest(".ar-gloss"))) {
        this.focusCard(mark.dataset.anno || "");
      }
    });
  }

  // -- talking to the kernel ------------------------------------------------------------------

  /**
   * Send a message; resolves with the kernel's answer to it.
   * @param {Record<string, any>} msg
   * @returns {Promise<any>}
   */
  request(msg) {
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.pending.set(req, { resolve });
      this.model.send({ ...msg, req });
    });
  }

  /** @param {any} msg */
  receive(msg) {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "snapshot") {
      this.user = msg.user;
      this.items = new Map(msg.annotations.map((/** @type {AnnotationView} */ a) => [a.id, a]));
      this.repaintAll();
      this.root.dataset.annotationsLoaded = "true";
    } else if (msg.type === "saved") {
      this.upsert(msg.annotation);
    } else if (msg.type === "deleted") {
      this.remove(msg.id);
    }
    if (typeof msg.req === "number" && this.pending.has(msg.req)) {
      this.pending.get(msg.req)?.resolve(msg);
      this.pending.delete(msg.req);
    }
  }

  /** @param {AnnotationView} view */
  upsert(view) {
    const old = this.items.get(view.id);
    this.items.set(view.id, view);
    if (old) unwrapAll(this.article, `mark.ar-hl[data-anno="${CSS.escape(view.id)}"]`);
    this.paint(view);
    this.refreshLists();
  }

  /** @param {string} id */
  remove(id) {
    this.items.delete(id);
    unwrapAll(this.article, `mark.ar-hl[data-anno="${CSS.escape(id)}"]`);
    this.refreshLists();
  }

  // -- the text ---------------------------------------------------------------------------------

  repaintAll() {
    unwrapAll(this.article, "mark.ar-hl");
    for (const view of this.items.values()) this.paint(view);
    this.refreshLists();
  }

  /** @param {AnnotationView} view */
  paint(view) {
    if (view.start === null || view.end === null) return;
    const start = view.start;
    const end = view.end;
    for (const block of this.lesson.blocks) {
      if (block.end <= start || block.start >= end) continue;
      const el = this.article.querySelector(`[data-block="${CSS.escape(block.id)}"]`);
      if (!el) continue;
      const from = Math.max(start, block.start) - block.start;
      const to = Math.min(end, block.end) - block.start;
      wrapRange(el, from, to, () => {
        const mark = h("mark", `ar-hl ${view.mine ? "ar-hl-mine" : "ar-hl-other"}`);
        mark.dataset.anno = view.id;
        if (view.kind === "note") mark.classList.add("ar-hl-note");
        return mark;
      });
    }
  }

  /** @param {string} id */
  flash(id) {
    const marks = this.article.querySelectorAll(`mark.ar-hl[data-anno="${CSS.escape(id)}"]`);
    marks[0]?.scrollIntoView({ block: "center", behavior: "smooth" });
    for (const m of marks) {
      m.classList.remove("ar-flash");
      void (/** @type {HTMLElement} */ (m).offsetWidth);
      m.classList.add("ar-flash");
    }
    return marks.length;
  }

  // -- selecting text ---------------------------------------------------------------------------

  listenForSelection() {
    const update = () => {
      const found = selectionOffsets(this.article, this.blockStarts);
      if (found) {
        this.selection = found;
        this.showSelectionBar();
      } else if (!this.selbar.contains(document.activeElement)) {
        this.selbar.hidden = true;
      }
    };
    this.article.addEventListener("mouseup", () => setTimeout(update, 0));
    this.article.addEventListener("keyup", (event) => {
      if (event.shiftKey || event.key.startsWith("Arrow")) update();
    });
    this.article.addEventListener("touchend", () => setTimeout(update, 0));
    this.article.addEventListener("keydown", (event) => {
      // In keyboard-selection mode, Enter on a selection moves to the annotate buttons.
      if (event.key === "Enter" && this.article.isContentEditable && this.selection) {
        const found = selectionOffsets(this.article, this.blockStarts);
        if (found) {
          event.preventDefault();
          this.selection = found;
          this.showSelectionBar();
          /** @type {HTMLElement | null} */ (this.selbar.querySelector("button"))?.focus();
        }
      }
    });
    // Keyboard selection mode edits nothing: block every input the browser would make.
    // (Prompt cards with their answer boxes live inside the article and stay writable.)
    for (const type of ["beforeinput", "paste", "drop", "cut"]) {
      this.article.addEventListener(type, (event) => {
        const target = /** @type {Element} */ (event.target);
        if (!target.closest?.("textarea, input, .ar-prompt")) event.preventDefault();
      });
    }
  }

  renderSelectionBar() {
    const bar = h("div", "ar-selbar");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Annotate the selected text");
    bar.hidden = true;
    const highlight = h("button", "ar-sel-highlight", "Highlight");
    const note = h("button", "ar-sel-note", "Add note");
    highlight.addEventListener("click", () => this.createHighlight());
    note.addEventListener("click", () => this.openNoteEditor());
    bar.append(highlight, note);
    bar.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        bar.hidden = true;
        this.article.focus();
      }
    });
    return bar;
  }

  showSelectionBar() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const rect = selection.getRangeAt(0).getBoundingClientRect();
    const box = this.root.getBoundingClientRect();
    this.selbar.hidden = false;
    const left = Math.max(4, Math.min(rect.left - box.left, box.width - this.selbar.offsetWidth - 4));
    this.selbar.style.left = `${left}px`;
    this.selbar.style.top = `${rect.bottom - box.top + 6}px`;
    this.live.textContent = "Text selected. Highlight it or add a note.";
  }

  async createHighlight() {
    const sel = this.selection;
    if (!sel) return;
    this.selbar.hidden = true;
    const answer = await this.request({ type: "create", kind: "highlight", ...this.range(sel) });
    if (answer.type === "error") this.announce(`Not saved: ${answer.message}`);
    else {
      this.announce("Highlight saved.");
      document.getSelection()?.removeAllRanges();
    }
  }

  /** @param {{start: number, end: number}} sel */
  range(sel) {
    return { start: sel.start, end: sel.end };
  }

  openNoteEditor() {
    const sel = this.selection;
    if (!sel) return;
    this.selbar.hidden = true;
    const slot = this.side.querySelector(".ar-new-note");
    if (!slot) return;
    slot.replaceChildren();
    const editor = this.editor({
      draftKey: `note:${sel.start}-${sel.end}`,
      quote: sel.text,
      withTags: true,
      label: "New note",
      save: (body, tags) =>
        this.request({ type: "create", kind: "note", ...this.range(sel), body, tags }),
      done: () => slot.replaceChildren(),
    });
    slot.append(editor);
    /** @type {HTMLElement | null} */ (editor.querySelector("textarea"))?.focus();
  }

  // -- forms ------------------------------------------------------------------------------------

  /**
   * A Markdown editor that keeps its text until the kernel says it is saved.
   * @param {{draftKey: string, quote?: string, withTags?: boolean, label: string,
   *   initial?: string, initialTags?: string[], saveLabel?: string,
   *   save: (body: string, tags: string[]) => Promise<any>, done: () => void}} opts
   */
  editor(opts) {
    const form = /** @type {HTMLFormElement} */ (h("form", "ar-editor"));
    form.setAttribute("aria-label", opts.label);
    const key = `reader-ext:draft:${this.lesson.uri}:${opts.draftKey}`;
    if (opts.quote) form.append(h("blockquote", "ar-editor-quote", opts.quote));
    const id = `${this.uid}-ed${this.nextReq++}`;
    const label = h("label", "ar-editor-label", `${opts.label} (Markdown)`);
    label.setAttribute("for", id);
    const area = /** @type {HTMLTextAreaElement} */ (h("textarea", "ar-editor-body"));
    area.id = id;
    area.rows = 4;
    area.value = localStorage.getItem(key) ?? opts.initial ?? "";
    area.addEventListener("input", () => {
      try {
        localStorage.setItem(key, area.value);
      } catch {
        // storage full or disabled: the text is still in the box
      }
    });
    form.append(label, area);
    /** @type {HTMLInputElement | null} */
    let tags = null;
    if (opts.withTags) {
      const tagLabel = h("label", "ar-editor-label", "Tags (comma-separated)");
      tags = /** @type {HTMLInputElement} */ (h("input", "ar-editor-tags"));
      tags.id = `${id}-tags`;
      tagLabel.setAttribute("for", tags.id);
      tags.value = (opts.initialTags || []).join(", ");
      form.append(tagLabel, tags);
    }
    const error = h("p", "ar-editor-error");
    error.setAttribute("role", "alert");
    const actions = h("div", "ar-editor-actions");
    const save = /** @type {HTMLButtonElement} */ (h("button", "ar-save", opts.saveLabel || "Save"));
    save.type = "submit";
    const cancel = /** @type {HTMLButtonElement} */ (h("button", "ar-cancel", "Cancel"));
    cancel.type = "button";
    actions.append(save, cancel);
    form.append(error, actions);
    cancel.addEventListener("click", () => opts.done());
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        opts.done();
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      save.disabled = true;
      error.textContent = "";
      form.setAttribute("aria-busy", "true");
      const tagList = tags
        ? tags.value.split(",").map((t) => t.trim()).filter(Boolean)
        : [];
      const answer = await opts.save(area.value, tagList);
      form.removeAttribute("aria-busy");
      save.disabled = false;
      if (answer.type === "error") {
        error.textContent = answer.message; // the typed text stays in the box
        return;
      }
      localStorage.removeItem(key);
      this.announce("Saved.");
      opts.done();
    });
    return form;
  }

  /** @param {string} text */
  announce(text) {
    this.live.textContent = "";
    setTimeout(() => (this.live.textContent = text), 30);
  }

  // -- the side list ------------------------------------------------------------------------------

  renderSide() {
    const side = h("aside", "ar-side");
    side.setAttribute("aria-labelledby", `${this.uid}-side-title`);
    const title = h("h3", "ar-side-title", "Annotations");
    title.id = `${this.uid}-side-title`;
    const filters = h("div", "ar-filters");
    filters.setAttribute("role", "group");
    filters.setAttribute("aria-label", "Filter annotations");
    const who = this.select("Show", [
      ["all", "Everyone’s"],
      ["mine", "Mine"],
      ["orphans", "Orphans"],
    ]);
    who.select.classList.add("ar-filter-who");
    who.select.addEventListener("change", () => {
      this.filter.who = who.select.value;
      this.refreshLists();
    });
    const tag = this.select("Tag", [["", "Any tag"]]);
    tag.select.classList.add("ar-filter-tag");
    tag.select.addEventListener("change", () => {
      this.filter.tag = tag.select.value;
      this.refreshLists();
    });
    const prompt = this.select("Prompt", [
      ["", "Any prompt"],
      ...this.lesson.prompts.map((p, i) => [p.id, `Prompt ${i + 1}`]),
    ]);
    prompt.select.classList.add("ar-filter-prompt");
    prompt.select.addEventListener("change", () => {
      this.filter.prompt = prompt.select.value;
      this.refreshLists();
    });
    filters.append(who.label, tag.label, prompt.label);
    if (this.instructor) {
      const student = this.select("Student", [["", "All students"]]);
      student.select.classList.add("ar-filter-student");
      student.select.addEventListener("change", () => {
        this.filter.student = student.select.value;
        this.refreshLists();
      });
      filters.append(student.label);
    }
    const progress = h("p", "ar-progress");
    const newNote = h("div", "ar-new-note");
    const list = h("ol", "ar-list");
    list.setAttribute("aria-label", "Annotations in text order");
    const more = h("button", "ar-more");
    more.hidden = true;
    more.addEventListener("click", () => {
      this.shown += PAGE;
      this.refreshLists();
    });
    const empty = h("p", "ar-empty", "No annotations yet. Select text to highlight it or add a note.");
    const orphanTitle = h("h4", "ar-orphans-title", "Orphans: passages no longer in the text");
    const orphans = h("ol", "ar-orphans");
    orphans.setAttribute("aria-label", "Orphaned annotations");
    side.append(title, progress, filters, newNote, list, more, empty, orphanTitle, orphans);
    return side;
  }

  /**
   * @param {string} text
   * @param {string[][]} options
   */
  select(text, options) {
    const label = h("label", "ar-filter");
    label.append(h("span", "", `${text} `));
    const select = /** @type {HTMLSelectElement} */ (h("select"));
    for (const [value, name] of options) {
      const option = /** @type {HTMLOptionElement} */ (h("option", "", name));
      option.value = value;
      select.append(option);
    }
    label.append(select);
    return { label, select };
  }

  /** @param {AnnotationView} a */
  passes(a) {
    const f = this.filter;
    if (f.who === "mine" && !a.mine) return false;
    if (f.who === "orphans" && a.anchor !== "orphan") return false;
    if (f.tag && !a.tags.includes(f.tag)) return false;
    if (f.prompt && a.prompt !== f.prompt) return false;
    if (f.student && a.author !== f.student) return false;
    return true;
  }

  /** Where a top-level item sits in the text (answers sit at their prompt). */
  position(/** @type {AnnotationView} */ a) {
    if (a.start !== null) return a.start;
    const prompt = this.lesson.prompts.find((p) => p.id === a.prompt);
    return prompt ? prompt.start : Number.MAX_SAFE_INTEGER;
  }

  refreshLists() {
    const all = [...this.items.values()];
    const replies = new Map();
    for (const a of all) {
      if (a.kind === "reply" && a.reply_to) {
        if (!replies.has(a.reply_to)) replies.set(a.reply_to, []);
        replies.get(a.reply_to).push(a);
      }
    }
    this.replies = replies;
    const top = all.filter((a) => a.kind === "highlight" || a.kind === "note" || a.kind === "answer");
    const placed = top.filter((a) => a.anchor !== "orphan").filter((a) => this.passes(a));
    placed.sort((a, b) => this.position(a) - this.position(b) || a.created.localeCompare(b.created));
    const list = /** @type {HTMLElement} */ (this.side.querySelector(".ar-list"));
    list.replaceChildren(...placed.slice(0, this.shown).map((a) => this.card(a)));
    const more = /** @type {HTMLButtonElement} */ (this.side.querySelector(".ar-more"));
    more.hidden = placed.length <= this.shown;
    more.textContent = `Show more (${placed.length - this.shown} not shown)`;
    const orphaned = top.filter((a) => a.anchor === "orphan" && (this.filter.who !== "mine" || a.mine));
    const orphanList = /** @type {HTMLElement} */ (this.side.querySelector(".ar-orphans"));
    orphanList.replaceChildren(...orphaned.map((a) => this.card(a)));
    /** @type {HTMLElement} */ (this.side.querySelector(".ar-orphans-title")).hidden = !orphaned.length;
    /** @type {HTMLElement} */ (this.side.querySelector(".ar-empty")).hidden = placed.length > 0;
    this.refreshTags(top);
    if (this.instructor) this.refreshStudents(all);
    if (this.heat) this.paintHeat(true);
    this.refreshPrompts();
    this.refreshCommentReplies();
    const mine = top.filter((a) => a.mine).length;
    /** @type {HTMLElement} */ (this.side.querySelector(".ar-side-title")).textContent =
      `Annotations (${top.length}${mine !== top.length ? `, ${mine} mine` : ""})`;
  }

  /** @param {AnnotationView[]} top */
  refreshTags(top) {
    const select = /** @type {HTMLSelectElement} */ (this.side.querySelector(".ar-filter-tag"));
    const tags = [...new Set(top.flatMap((a) => a.tags))].sort((a, b) => a.localeCompare(b));
    const current = select.value;
    select.replaceChildren();
    for (const [value, name] of [["", "Any tag"], ...tags.map((t) => [t, t])]) {
      const option = /** @type {HTMLOptionElement} */ (h("option", "", name));
      option.value = value;
      select.append(option);
    }
    select.value = tags.includes(current) ? current : "";
  }

  /** @param {AnnotationView[]} all */
  refreshStudents(all) {
    const select = /** @type {HTMLSelectElement | null} */ (
      this.side.querySelector(".ar-filter-student")
    );
    if (!select) return;
    const names = [...new Set(all.map((a) => a.author))].sort((a, b) => a.localeCompare(b));
    const current = select.value;
    select.replaceChildren();
    for (const [value, name] of [["", `All students (${names.length})`], ...names.map((n) => [n, n])]) {
      const option = /** @type {HTMLOptionElement} */ (h("option", "", name));
      option.value = value;
      select.append(option);
    }
    select.value = names.includes(current) ? current : "";
  }

  /**
   * The class heat map as a layer on the text: how many annotations (of those the filters
   * let through) cover each stretch, in five shades.
   * @param {boolean} on
   */
  paintHeat(on) {
    this.heat = on;
    unwrapAll(this.article, "mark.ar-heat");
    this.article.classList.toggle("ar-heatmode", on);
    if (!on) return;
    /** @type {Map<number, number>} */
    const delta = new Map();
    for (const a of this.items.values()) {
      if (a.start === null || a.end === null || !this.passes(a)) continue;
      delta.set(a.start, (delta.get(a.start) || 0) + 1);
      delta.set(a.end, (delta.get(a.end) || 0) - 1);
    }
    const points = [...delta.keys()].sort((x, y) => x - y);
    /** @type {[number, number, number][]} */
    const spans = [];
    let depth = 0;
    points.forEach((p, i) => {
      depth += delta.get(p) || 0;
      if (depth > 0 && i + 1 < points.length) spans.push([p, points[i + 1], depth]);
    });
    const most = Math.max(1, ...spans.map((s) => s[2]));
    for (const [start, end, count] of spans) {
      const level = Math.max(1, Math.ceil((count / most) * 5));
      for (const block of this.lesson.blocks) {
        if (block.end <= start || block.start >= end) continue;
        const el = this.article.querySelector(`[data-block="${CSS.escape(block.id)}"]`);
        if (!el) continue;
        wrapRange(el, Math.max(start, block.start) - block.start, Math.min(end, block.end) - block.start, () => {
          const mark = h("mark", `ar-heat ar-heat-${level}`);
          mark.title = `${count} annotation${count === 1 ? "" : "s"}`;
          return mark;
        });
      }
    }
    this.announce(`Heat map on: ${spans.length ? `up to ${most} annotations on one passage` : "no annotations"}.`);
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
    const time = /** @type {HTMLTimeElement} */ (h("time", "", shortTime(a.created)));
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
    const actions = h("div", "ar-card-actions");
    if (a.start !== null) {
      const show = h("button", "ar-show", "Show in text");
      show.addEventListener("click", () => this.flash(a.id));
      actions.append(show);
    }
    if (depth < 6) {
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
    item.append(actions);
    const replies = this.replies?.get(a.id) || [];
    if (replies.length) {
      const thread = h("ol", "ar-replies");
      thread.setAttribute("aria-label", `${replies.length} repl${replies.length === 1 ? "y" : "ies"}`);
      for (const r of replies) thread.append(this.card(r, depth + 1));
      item.append(thread);
    }
    return item;
  }

  /** @param {string} id */
  focusCard(id) {
    if (!this.side.querySelector(`.ar-card[data-anno="${CSS.escape(id)}"]`)) {
      this.shown = Number.MAX_SAFE_INTEGER; // the card is past the page shown: show them all
      this.refreshLists();
    }
    const card = /** @type {HTMLElement | null} */ (
      this.side.querySelector(`.ar-card[data-anno="${CSS.escape(id)}"]`)
    );
    if (!card) return;
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    card.focus({ preventScroll: true });
    card.classList.remove("ar-flash");
    void card.offsetWidth;
    card.classList.add("ar-flash");
  }

  /**
   * @param {HTMLElement} item
   * @param {AnnotationView} a
   */
  openReply(item, a) {
    const form = this.editor({
      draftKey: `reply:${a.id}`,
      label: `Reply to ${a.author}`,
      save: (body) => this.request({ type: "create", kind: "reply", reply_to: a.id, body }),
      done: () => form.remove(),
    });
    item.querySelector(":scope > .ar-card-actions")?.after(form);
    /** @type {HTMLElement | null} */ (form.querySelector("textarea"))?.focus();
  }

  /**
   * @param {HTMLElement} item
   * @param {AnnotationView} a
   */
  openEdit(item, a) {
    const form = this.editor({
      draftKey: `edit:${a.id}`,
      label: `Edit ${KIND_LABEL[a.kind] || "annotation"}`,
      initial: a.body,
      initialTags: a.tags,
      withTags: a.kind !== "reply" && a.kind !== "answer" && a.kind !== "comment-reply",
      save: (body, tags) => this.request({ type: "edit", id: a.id, body, tags }),
      done: () => form.remove(),
    });
    item.querySelector(":scope > .ar-card-actions")?.after(form);
    /** @type {HTMLElement | null} */ (form.querySelector("textarea"))?.focus();
  }

  /** @param {AnnotationView} a */
  async delete(a) {
    const answer = await this.request({ type: "delete", id: a.id });
    if (answer.type === "error") {
      this.announce(`Not deleted: ${answer.message}`);
      return;
    }
    this.toast.replaceChildren(h("span", "", `${KIND_LABEL[a.kind] || "Annotation"} deleted.`));
    const undo = h("button", "ar-undo", "Undo");
    undo.addEventListener("click", async () => {
      const restored = await this.request({ type: "restore", id: a.id });
      this.toast.hidden = true;
      this.announce(restored.type === "error" ? restored.message : "Restored.");
      if (restored.type !== "error") this.focusCard(a.id);
    });
    this.toast.append(undo);
    this.toast.hidden = false;
    undo.focus();
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast.hidden = true), UNDO_MS);
  }

  // -- prompts and comments -----------------------------------------------------------------------

  /** Add an answer box to every prompt card. */
  attachPrompts() {
    for (const prompt of this.lesson.prompts) {
      const card = this.article.querySelector(`.ar-prompt[data-prompt="${CSS.escape(prompt.id)}"]`);
      if (!card) continue;
      const box = h("div", "ar-answer");
      card.append(box);
    }
  }

  refreshPrompts() {
    let answered = 0;
    for (const prompt of this.lesson.prompts) {
      const card = /** @type {HTMLElement | null} */ (
        this.article.querySelector(`.ar-prompt[data-prompt="${CSS.escape(prompt.id)}"]`)
      );
      const box = card?.querySelector(".ar-answer");
      if (!card || !box) continue;
      const mine = [...this.items.values()].find((a) => a.kind === "answer" && a.mine && a.prompt === prompt.id);
      if (mine) answered++;
      card.dataset.answered = String(Boolean(mine));
      if (box.querySelector("form")) continue; // being written or saved: never wipe it
      box.replaceChildren();
      const status = h("p", "ar-answer-status", mine ? "✓ Answered" : "Not answered yet");
      if (mine) {
        const shown = h("div", "ar-answer-text");
        shown.innerHTML = mine.body_html; // rendered and sanitised in Python
        const edit = h("button", "ar-answer-edit", "Edit answer");
        edit.addEventListener("click", () => this.answerForm(box, prompt, mine));
        box.append(status, shown, edit);
      } else {
        const open = h("button", "ar-answer-open", "Answer this prompt");
        open.addEventListener("click", () => this.answerForm(box, prompt, null));
        box.append(status, open);
      }
    }
    const progress = /** @type {HTMLElement} */ (this.side.querySelector(".ar-progress"));
    progress.textContent = `Prompts answered: ${answered} of ${this.lesson.prompts.length}`;
  }

  /**
   * @param {Element} box
   * @param {Prompt} prompt
   * @param {AnnotationView | null} mine
   */
  answerForm(box, prompt, mine) {
    const form = this.editor({
      draftKey: `answer:${prompt.id}`,
      label: "Your answer",
      initial: mine?.body,
      saveLabel: mine ? "Update answer" : "Save answer",
      save: (body) =>
        mine
          ? this.request({ type: "edit", id: mine.id, body })
          : this.request({ type: "create", kind: "answer", prompt: prompt.id, body }),
      done: () => {
        form.remove();
        this.refreshPrompts();
      },
    });
    box.replaceChildren(form);
    /** @type {HTMLElement | null} */ (form.querySelector("textarea"))?.focus();
  }

  /** @param {HTMLElement} section */
  attachComments(section) {
    this.comments = section;
    for (const item of section.querySelectorAll(".ar-comment")) {
      const el = /** @type {HTMLElement} */ (item);
      const thread = h("ol", "ar-comment-replies");
      const reply = h("button", "ar-comment-reply", "Reply");
      reply.addEventListener("click", () => {
        const form = this.editor({
          draftKey: `comment:${el.dataset.comment}`,
          label: "Reply to this reader comment",
          save: (body) =>
            this.request({ type: "create", kind: "comment-reply", comment: el.dataset.comment, body }),
          done: () => form.remove(),
        });
        reply.after(form);
        /** @type {HTMLElement | null} */ (form.querySelector("textarea"))?.focus();
      });
      el.append(reply, thread);
    }
  }

  refreshCommentReplies() {
    if (!this.comments) return;
    for (const item of this.comments.querySelectorAll(".ar-comment")) {
      const el = /** @type {HTMLElement} */ (item);
      const thread = el.querySelector(".ar-comment-replies");
      if (!thread) continue;
      const replies = [...this.items.values()].filter(
        (a) => a.kind === "comment-reply" && a.comment === el.dataset.comment,
      );
      thread.replaceChildren(...replies.map((a) => this.card(a, 1)));
    }
  }
}
