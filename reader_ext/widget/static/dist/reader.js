// Built by scripts/bundle.mjs from reader_ext/widget/static/*.js: do not edit.

// reader_ext/widget/static/a11y.js
function reducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}
function scrollBehavior() {
  return reducedMotion() ? "auto" : "smooth";
}
function excerpt(text, max = 60) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}
function focusPassage(el, say, what = "Shown in the text") {
  if (!el.hasAttribute("tabindex")) el.tabIndex = -1;
  el.focus({ preventScroll: true });
  say?.(`${what}: ${excerpt(el.textContent || "")}`);
}
function nameFor(button, subject) {
  button.setAttribute("aria-label", `${(button.textContent || "").trim()}: ${subject}`);
}
function rovingToolbar(toolbar) {
  const every = () => (
    /** @type {HTMLElement[]} */
    [...toolbar.querySelectorAll("button, [role=button], a[href]")]
  );
  const items = () => every().filter((el) => !el.hidden);
  let current = null;
  const rove = () => {
    const all = items();
    if (!current || !all.includes(current)) current = all[0] ?? null;
    for (const el of every()) el.tabIndex = el === current ? 0 : -1;
  };
  const keydown = (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const all = items();
    const at = all.indexOf(
      /** @type {HTMLElement} */
      document.activeElement
    );
    if (at < 0) return;
    const n = all.length;
    const to = {
      ArrowRight: (at + 1) % n,
      ArrowDown: (at + 1) % n,
      ArrowLeft: (at - 1 + n) % n,
      ArrowUp: (at - 1 + n) % n,
      Home: 0,
      End: n - 1
    }[event.key];
    if (to === void 0) return;
    event.preventDefault();
    all[to]?.focus();
  };
  const focusin = (event) => {
    const target = (
      /** @type {HTMLElement} */
      event.target
    );
    if (items().includes(target)) current = target;
    rove();
  };
  const observer = new MutationObserver(rove);
  toolbar.addEventListener("keydown", keydown);
  toolbar.addEventListener("focusin", focusin);
  observer.observe(toolbar, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["hidden"]
  });
  rove();
  return () => {
    toolbar.removeEventListener("keydown", keydown);
    toolbar.removeEventListener("focusin", focusin);
    observer.disconnect();
  };
}

// reader_ext/widget/static/positions.js
function codePointLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i += unitsAt(s, i)) n++;
  return n;
}
function utf16Index(s, cp) {
  let i = 0;
  for (let k = 0; k < cp && i < s.length; k++) i += unitsAt(s, i);
  return i;
}
function unitsAt(s, i) {
  const c = s.charCodeAt(i);
  if (c < 55296 || c > 56319) return 1;
  const next = s.charCodeAt(i + 1);
  return next >= 56320 && next <= 57343 ? 2 : 1;
}
function pieces(texts, start, end) {
  const out = [];
  let pos = 0;
  for (const [index, text] of texts.entries()) {
    if (pos >= end) break;
    const len = codePointLength(text);
    const from = Math.max(start, pos);
    const to = Math.min(end, pos + len);
    if (from < to) {
      out.push({ index, from: utf16Index(text, from - pos), to: utf16Index(text, to - pos) });
    }
    pos += len;
  }
  return out;
}
function blockSpans(blocks, start, end) {
  const out = [];
  for (const block of blocks) {
    if (block.end <= start || block.start >= end) continue;
    out.push({
      id: block.id,
      from: Math.max(start, block.start) - block.start,
      to: Math.min(end, block.end) - block.start
    });
  }
  return out;
}
function placeBeside(anchor, size, bounds, gap = 6) {
  const margin = 4;
  const maxLeft = Math.max(bounds.left + margin, bounds.right - size.width - margin);
  const left = Math.min(Math.max(anchor.left, bounds.left + margin), maxLeft);
  const below = anchor.bottom + gap;
  const above = anchor.top - gap - size.height;
  if (below + size.height <= bounds.bottom - margin) return { left, top: below, above: false };
  if (above >= bounds.top + margin) return { left, top: above, above: true };
  const top = Math.max(bounds.top + margin, Math.min(below, bounds.bottom - margin - size.height));
  return { left, top, above: false };
}
function intersect(a, b) {
  return {
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.max(Math.max(a.top, b.top), Math.min(a.bottom, b.bottom))
  };
}
function buckets(items, within) {
  const sorted = [...items].sort((a, b) => a.top - b.top);
  const out = [];
  for (const { id, top } of sorted) {
    const last = out[out.length - 1];
    if (last && top - last.top < within) last.ids.push(id);
    else out.push({ top, ids: [id] });
  }
  return out;
}
function scrollDelta(top, bottom, viewTop, viewBottom) {
  if (top >= viewTop && bottom <= viewBottom) return 0;
  if (top < viewTop || bottom - top > viewBottom - viewTop) return top - viewTop;
  return bottom - viewBottom;
}

// reader_ext/widget/static/dom.js
function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== void 0) node.textContent = text;
  return node;
}
function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}
function externalLink(url, text) {
  const link = h("a", "", text);
  link.href = url;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  return link;
}
function shortTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
function blockElement(article, id) {
  return article.querySelector(`[data-block="${CSS.escape(id)}"]`);
}
function flashElement(el) {
  el.classList.remove("ar-flash");
  void /** @type {HTMLElement} */
  el.offsetWidth;
  el.classList.add("ar-flash");
  clearTimeout(flashTimers.get(el));
  flashTimers.set(el, setTimeout(() => el.classList.remove("ar-flash"), FLASH_MS));
}
var FLASH_MS = 1200;
var flashTimers = /* @__PURE__ */ new WeakMap();
function announce(live, text) {
  live.textContent = "";
  setTimeout(() => live.textContent = text, 30);
}
function scrollIntoPane(el, align) {
  const pane = (
    /** @type {HTMLElement | null} */
    el.parentElement?.closest(".ar-pane")
  );
  if (!pane || pane.scrollHeight <= pane.clientHeight) return;
  const view = pane.getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const top = box.top - view.top;
  if (align !== void 0) {
    pane.scrollTop += top - align;
    return;
  }
  pane.scrollTop += scrollDelta(top, box.bottom - view.top, 0, pane.clientHeight);
}
function visibleBox(el) {
  const r = el.getBoundingClientRect();
  let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    if (getComputedStyle(node).overflow === "visible") continue;
    const c = node.getBoundingClientRect();
    box = intersect(box, { left: c.left, top: c.top, right: c.right, bottom: c.bottom });
  }
  const view = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  return intersect(box, view);
}

// reader_ext/widget/static/editor.js
var editors = 0;
function editor(where, opts) {
  const form = h("form", "ar-editor");
  form.setAttribute("aria-label", opts.label);
  const key = `reader-ext:draft:${where.uri}:${opts.draftKey}`;
  if (opts.quote) form.append(h("blockquote", "ar-editor-quote", opts.quote));
  const id = `${where.uid}-ed${++editors}`;
  const label = h("label", "ar-editor-label", `${opts.label} (Markdown)`);
  label.htmlFor = id;
  const area = h("textarea", "ar-editor-body");
  area.id = id;
  area.rows = 4;
  area.value = localStorage.getItem(key) ?? opts.initial ?? "";
  area.addEventListener("input", () => {
    try {
      localStorage.setItem(key, area.value);
    } catch {
    }
  });
  form.append(label, area);
  let tags = null;
  if (opts.withTags) {
    const tagLabel = h("label", "ar-editor-label", "Tags (comma-separated)");
    tags = h("input", "ar-editor-tags");
    tags.id = `${id}-tags`;
    tagLabel.htmlFor = tags.id;
    tags.value = (opts.initialTags || []).join(", ");
    form.append(tagLabel, tags);
  }
  if (opts.extra) form.append(opts.extra);
  const error = h("p", "ar-editor-error");
  error.setAttribute("role", "alert");
  const status = h("p", "ar-editor-status");
  status.setAttribute("role", "status");
  const actions = h("div", "ar-editor-actions");
  const save = h("button", "ar-save", opts.saveLabel || "Save");
  save.type = "submit";
  const cancel = h("button", "ar-cancel", "Cancel");
  cancel.type = "button";
  actions.append(save, cancel);
  form.append(error, status, actions);
  const drop = () => {
    try {
      localStorage.removeItem(key);
    } catch {
    }
  };
  const abandon = () => {
    drop();
    opts.done(null);
  };
  cancel.addEventListener("click", abandon);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      abandon();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    save.disabled = true;
    error.textContent = "";
    status.textContent = "Saving…";
    form.setAttribute("aria-busy", "true");
    const tagList = tags ? tags.value.split(",").map((t) => t.trim()).filter(Boolean) : [];
    const answer = await opts.save(area.value, tagList);
    form.removeAttribute("aria-busy");
    save.disabled = false;
    status.textContent = "";
    if (answer.type === "error") {
      error.textContent = answer.message;
      area.focus();
      return;
    }
    drop();
    where.announce("Saved.");
    opts.done(answer);
  });
  return form;
}
function focusEditor(form) {
  form.querySelector("textarea")?.focus({ preventScroll: true });
  scrollIntoPane(form);
}

// reader_ext/widget/static/cards.js
var KIND_LABEL = {
  highlight: "Highlight",
  note: "Note",
  reply: "Reply",
  answer: "Answer",
  "comment-reply": "Reply to a reader comment",
  "lesson-note": "Note on the whole lesson"
};
var UNDO_MS = 3e4;
var MAX_REPLY_DEPTH = 6;
function threads(views) {
  const replies = /* @__PURE__ */ new Map();
  for (const a of views) {
    if (a.kind !== "reply" || !a.reply_to) continue;
    const thread = replies.get(a.reply_to) ?? [];
    thread.push(a);
    replies.set(a.reply_to, thread);
  }
  return replies;
}
var Cards = class {
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
    this.replies = /* @__PURE__ */ new Map();
    this.root = where.root;
    this.toast = h("div", "ar-toast");
    this.toast.hidden = true;
    this.slot = h("li", "ar-toast-slot");
    this.slot.append(this.toast);
    this.toastTimer = void 0;
    this.toastPlace = null;
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
    item.dataset.anno = a.id;
    item.tabIndex = -1;
    const meta = h("p", "ar-card-meta");
    const time = h("time", "", shortTime(a.created));
    time.dateTime = a.created;
    meta.append(
      h("span", "ar-card-author", a.mine ? `${a.author} (you)` : a.author),
      document.createTextNode(" · "),
      time
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
    if (a.quote) item.append(h("blockquote", "ar-card-quote", a.quote));
    if (a.kind === "lesson-note") {
      item.append(h("p", "ar-card-lesson", "About the whole lesson, not a passage"));
    }
    if (a.kind === "answer") {
      const index = this.lesson.prompts.findIndex((p) => p.id === a.prompt);
      item.append(h("p", "ar-card-prompt", `Answer to prompt ${index + 1}`));
    }
    const body = h("div", "ar-card-body");
    body.innerHTML = a.body_html;
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
        this.show.flash(a.id);
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
      done: (saved) => this.closed(form, saved, a.id, ".ar-reply")
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
    const button = (
      /** @type {HTMLElement | null} */
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
      done: (saved) => this.closed(form, saved, a.id, ".ar-edit")
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
    const sibling = (el) => (
      /** @type {HTMLElement | null} */
      (el?.matches(".ar-card") ? el : null)?.dataset.anno ?? null
    );
    const next = sibling(card?.nextElementSibling);
    const prev = sibling(card?.previousElementSibling);
    const parent = card?.parentElement?.closest("li");
    const find2 = (anno) => anno ? this.root.querySelector(`.ar-card[data-anno="${CSS.escape(anno)}"]`) : null;
    const put = () => {
      const before = find2(next);
      const after = find2(prev);
      const list = this.root.querySelector(".ar-side .ar-list");
      if (before) before.before(this.slot);
      else if (after) after.after(this.slot);
      else if (parent?.isConnected) parent.after(this.slot);
      else (list ?? this.root).append(this.slot);
    };
    return { next: next ?? prev, put };
  }
};
function focusOn(card) {
  card.focus({ preventScroll: true });
  scrollIntoPane(card);
  flashElement(card);
}
function cardSubject(a) {
  const kind = (KIND_LABEL[a.kind] || a.kind).toLowerCase();
  const who = a.mine ? "your" : `${a.author}’s`;
  if (a.quote) return `${who} ${kind} on “${excerpt(a.quote, 40)}”`;
  const words = excerpt(a.body.replace(/[*_`#>[\]]+/g, ""), 40);
  return words ? `${who} ${kind}: “${words}”` : `${who} ${kind}`;
}

// reader_ext/widget/static/comments.js
function renderComments(comments, uid) {
  const section = h("section", "ar-comments");
  const heading = h("h3", "ar-comments-title", `Reader comments (${comments.length})`);
  heading.id = `${uid}-comments`;
  section.setAttribute("aria-labelledby", heading.id);
  section.append(
    heading,
    h("p", "ar-comments-note", "Published with the article: readers’ words, not the author’s.")
  );
  const list = h("ol", "ar-comment-list");
  for (const c of comments) {
    const item = h("li", "ar-comment");
    item.dataset.comment = c.id;
    const body = h("blockquote", "ar-comment-body");
    body.innerHTML = c.html;
    item.append(h("p", "ar-comment-author", c.author), body);
    list.append(item);
  }
  section.append(list);
  return section;
}
var Comments = class {
  /**
   * @param {{lesson: LessonPayload, uid: string, channel: Channel,
   *   announce: (text: string) => void}} where
   * @param {Cards} cards
   */
  constructor(where, cards) {
    this.cards = cards;
    this.el = renderComments(where.lesson.comments, where.uid);
    const editorWhere = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    for (const item of this.items()) {
      const id = item.dataset.comment || "";
      const reply = h("button", "ar-comment-reply", "Reply");
      const author = item.querySelector(".ar-comment-author")?.textContent || "a reader";
      const said = excerpt(item.querySelector(".ar-comment-body")?.textContent || "", 40);
      nameFor(reply, `${author}’s comment, “${said}”`);
      reply.addEventListener("click", () => {
        const form = editor(editorWhere, {
          draftKey: `comment:${id}`,
          label: "Reply to this reader comment",
          save: (body) => where.channel.request({ type: "create", kind: "comment-reply", comment: id, body }),
          done: (saved) => {
            form.remove();
            const anno = saved?.type === "saved" ? CSS.escape(saved.annotation.id) : "";
            const card = anno ? item.querySelector(`.ar-card[data-anno="${anno}"]`) : null;
            (card ?? reply).focus({ preventScroll: true });
          }
        });
        reply.after(form);
        focusEditor(form);
      });
      item.append(reply, h("ol", "ar-comment-replies"));
    }
  }
  items() {
    return (
      /** @type {HTMLElement[]} */
      [...this.el.querySelectorAll(".ar-comment")]
    );
  }
  /** @param {AnnotationView[]} all every annotation on the lesson */
  refresh(all) {
    for (const item of this.items()) {
      const thread = item.querySelector(".ar-comment-replies");
      if (!thread) continue;
      const replies = all.filter((a) => a.kind === "comment-reply" && a.comment === item.dataset.comment);
      thread.replaceChildren(...replies.map((a) => this.cards.card(a, 1)));
    }
  }
};

// reader_ext/widget/static/visibility.js
var controls = 0;
function visibilityChoice(uid, choices) {
  if (choices.length === 0) return { element: null, value: () => ({}) };
  const field = h("div", "ar-editor-visibility");
  const select2 = h("select", "ar-visibility");
  select2.id = `${uid}-vis${++controls}`;
  const label = h("label", "ar-editor-label", "Who sees this note");
  label.htmlFor = select2.id;
  choices.forEach((choice, index) => {
    const option = h("option", "", choice.label);
    option.value = String(index);
    option.selected = choice.default;
    select2.append(option);
  });
  field.append(label, select2);
  return {
    element: field,
    value: () => {
      const choice = choices[Number(select2.value)] ?? choices.find((c) => c.default);
      if (!choice) return {};
      const { visibility, group } = choice;
      return group ? { visibility, group } : { visibility };
    }
  };
}

// reader_ext/widget/static/heat.js
function coverage(spans) {
  const byStudent = /* @__PURE__ */ new Map();
  for (const { author, start, end } of spans) {
    if (end <= start) continue;
    const ranges = byStudent.get(author) ?? [];
    ranges.push([start, end]);
    byStudent.set(author, ranges);
  }
  const delta = /* @__PURE__ */ new Map();
  for (const ranges of byStudent.values()) {
    for (const [start, end] of merge(ranges)) {
      delta.set(start, (delta.get(start) ?? 0) + 1);
      delta.set(end, (delta.get(end) ?? 0) - 1);
    }
  }
  const points = [...delta.keys()].sort((x, y) => x - y);
  const runs = [];
  let depth = 0;
  for (const [i, point2] of points.entries()) {
    depth += delta.get(point2) ?? 0;
    const next = points[i + 1];
    if (depth <= 0 || next === void 0) continue;
    const last = runs.at(-1);
    if (last && last.end === point2 && last.students === depth) last.end = next;
    else runs.push({ start: point2, end: next, students: depth });
  }
  return runs;
}
function merge(ranges) {
  const out = [];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = out.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
function level(count, students2) {
  if (count <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil(5 * count / Math.max(students2, 1))));
}
function legend(students2) {
  const items = [];
  for (let lvl = 1; lvl <= 5; lvl++) {
    const low = Math.floor((lvl - 1) * students2 / 5) + 1;
    const high = Math.floor(lvl * students2 / 5);
    if (low > high) continue;
    const label = low === high ? `${low}` : `${low}–${high}`;
    items.push([lvl, `${label} of ${students2} student${students2 === 1 ? "" : "s"}`]);
  }
  return items;
}

// reader_ext/widget/static/paint.js
function textNodes(root) {
  const walker = root.ownerDocument?.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  if (!walker) return nodes;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(
    /** @type {Text} */
    n
  );
  return nodes;
}
function wrapRange(block, start, end, make) {
  const nodes = textNodes(block);
  const made = [];
  for (const { index, from, to } of pieces(nodes.map((n) => n.data), start, end)) {
    let target = (
      /** @type {Text} */
      nodes[index]
    );
    if (from > 0) target = target.splitText(from);
    if (to - from < target.data.length) target.splitText(to - from);
    const wrapper = make();
    target.parentNode?.insertBefore(wrapper, target);
    wrapper.appendChild(target);
    made.push(wrapper);
  }
  return made;
}
function wrapRanges(block, ranges, make) {
  const nodes = textNodes(block);
  const lengths = nodes.map((n) => codePointLength(n.data));
  const plan = [];
  let first = 0;
  let base = 0;
  for (const range of ranges) {
    while (first < nodes.length && base + (lengths[first] ?? 0) <= range.start) {
      base += lengths[first++] ?? 0;
    }
    for (let k = first, at = base; k < nodes.length && at < range.end; at += lengths[k++] ?? 0) {
      const from = Math.max(range.start, at);
      const to = Math.min(range.end, at + (lengths[k] ?? 0));
      if (from >= to) continue;
      const text = (
        /** @type {Text} */
        nodes[k].data
      );
      plan.push({ index: k, from: utf16Index(text, from - at), to: utf16Index(text, to - at), range });
    }
  }
  const made = [];
  for (let i = plan.length - 1; i >= 0; i--) {
    const { index, from, to, range } = (
      /** @type {(typeof plan)[number]} */
      plan[i]
    );
    let target = (
      /** @type {Text} */
      nodes[index]
    );
    if (to < target.data.length) target.splitText(to);
    if (from > 0) target = target.splitText(from);
    const wrapper = make(range);
    target.parentNode?.insertBefore(wrapper, target);
    wrapper.appendChild(target);
    made.push({ range, el: wrapper });
  }
  return made.reverse();
}
function paintRange(article, blocks, start, end, make) {
  const made = [];
  for (const { id, from, to } of blockSpans(blocks, start, end)) {
    const el = blockElement(article, id);
    if (el) made.push(...wrapRange(el, from, to, make));
  }
  return made;
}
function unwrapAll(root, selector) {
  const parents = /* @__PURE__ */ new Set();
  for (const wrapper of root.querySelectorAll(selector)) {
    const parent = wrapper.parentNode;
    if (!parent) continue;
    while (wrapper.firstChild) parent.insertBefore(wrapper.firstChild, wrapper);
    parent.removeChild(wrapper);
    parents.add(parent);
  }
  for (const parent of parents) parent.normalize();
}

// reader_ext/widget/static/heatlayer.js
var studentsLabel = (n) => `${n} student${n === 1 ? "" : "s"}`;
var HeatLayer = class {
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
    const { views, students: students2, filters } = this.current();
    const spans = [];
    for (const a of views) {
      if (a.start !== null && a.end !== null) spans.push({ author: a.author, start: a.start, end: a.end });
    }
    const runs = coverage(spans);
    for (const run of runs) {
      const shade = level(run.students, students2);
      const text = `${run.students} of ${studentsLabel(students2)}`;
      paintRange(this.article, this.blocks, run.start, run.end, () => {
        const mark = h("mark", `ar-heat ar-heat-${shade}`);
        mark.title = text;
        mark.setAttribute("aria-description", `Heat map: ${text}`);
        return mark;
      });
    }
    this.fillLegend(students2, filters);
    const most = Math.max(0, ...runs.map((r) => r.students));
    this.announce(
      `Heat map on: ${most ? `up to ${most} of ${studentsLabel(students2)} on one passage` : "no annotations"}.`
    );
  }
  /**
   * @param {number} students
   * @param {string} filters what the filters show, e.g. "ben’s annotations, tagged “oil”"
   */
  fillLegend(students2, filters) {
    const title = `Heat map: students per passage${filters ? ` — ${filters}` : ""}`;
    const caption = h("figcaption", "ar-heat-legend-title", title);
    const list = h("ul", "ar-heat-legend-list");
    for (const [shade, label] of legend(students2)) {
      const item = h("li", "ar-heat-legend-item");
      const swatch = h("span", `ar-heat-swatch ar-heat-${shade}`);
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, label);
      list.append(item);
    }
    this.legend.replaceChildren(caption, list);
  }
};

// reader_ext/widget/static/coverage.js
function segments(spans) {
  const edges = [];
  let order = 0;
  for (const { id, start, end } of spans) {
    if (!(start < end)) continue;
    edges.push({ at: start, open: true, order, id }, { at: end, open: false, order, id });
    order++;
  }
  edges.sort((a, b) => a.at - b.at || a.order - b.order);
  const out = [];
  const open = /* @__PURE__ */ new Map();
  let current = null;
  let i = 0;
  while (i < edges.length) {
    const at = (
      /** @type {Edge} */
      edges[i].at
    );
    const starts = [];
    const ends = [];
    for (let e = edges[i]; e && e.at === at; e = edges[++i]) {
      if (e.open) {
        open.set(e.order, { id: e.id, start: at });
        starts.push(e.id);
      } else {
        open.delete(e.order);
        ends.push(e.id);
      }
    }
    if (current) {
      current.end = at;
      current.ends = ends;
      current = null;
    }
    if (open.size) {
      const covering = [...open.entries()].sort(([oa, a], [ob, b]) => a.start - b.start || oa - ob);
      current = { start: at, end: at, ids: covering.map(([, v]) => v.id), starts, ends: [] };
      out.push(current);
    }
  }
  return out;
}

// reader_ext/widget/static/highlights.js
var MARK = "mark.ar-hl";
var STOP = `${MARK}[tabindex]`;
var INTERACTIVE = "a, button, input, select, textarea, .ar-gloss, [role=button], [tabindex]";
var KIND = { highlight: "highlight", note: "note", answer: "answer" };
var NAMED = 3;
var Highlights = class {
  /**
   * @param {HTMLElement} article
   * @param {readonly BlockPayload[]} blocks
   * @param {Hooks} hooks
   */
  constructor(article, blocks, hooks) {
    this.article = article;
    this.blocks = blocks;
    this.hooks = hooks;
    this.views = /* @__PURE__ */ new Map();
    this.cover = /* @__PURE__ */ new Map();
    this.stops = /* @__PURE__ */ new Map();
    this.stopId = "";
    this.lit = [];
    this.litId = "";
    article.addEventListener("click", (event) => {
      const target = (
        /** @type {Element} */
        event.target
      );
      const mark = target.closest?.(MARK);
      if (!mark || target.closest(".ar-gloss") || !document.getSelection()?.isCollapsed) return;
      this.hooks.open(this.cover.get(mark)?.ids ?? []);
    });
    article.addEventListener("keydown", (event) => this.onKey(event));
    article.addEventListener("focusin", (event) => {
      const target = (
        /** @type {Element} */
        event.target
      );
      if (target.matches?.(STOP)) this.setStop(target);
    });
  }
  /** @param {Iterable<AnnotationView>} views every annotation; those the filters pass are shown */
  paintAll(views) {
    this.views = /* @__PURE__ */ new Map();
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
    if (marks[0]) scrollIntoPane(marks[0]);
    for (const m of marks) flashElement(m);
    if (marks[0]) focusPassage(
      /** @type {HTMLElement} */
      marks[0]
    );
    return marks.length;
  }
  /**
   * Light the marks of the annotation whose card is under the pointer or focused in `side`.
   * @param {HTMLElement} side
   */
  followCards(side) {
    const light = (event) => {
      let card = (
        /** @type {Element | null} */
        event.target
      );
      while (card = card?.closest?.(".ar-card[data-anno]") ?? null) {
        const id = (
          /** @type {HTMLElement} */
          card.dataset.anno || ""
        );
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
    const first = /* @__PURE__ */ new Map();
    for (const m of this.article.querySelectorAll(MARK)) {
      for (const id of this.cover.get(m)?.ids ?? []) if (!first.has(id)) first.set(id, m);
    }
    return first;
  }
  /**
   * The marks that show annotation `id`, in text order.
   * @param {string} id
   */
  marksOf(id) {
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
    return this.blocks.filter(
      (b) => views.some((v) => v && v.start !== null && v.end !== null && v.start < b.end && v.end > b.start)
    );
  }
  /**
   * Paint `blocks` again from the annotations: one sweep over those that reach them.
   * @param {readonly BlockPayload[]} blocks in text order
   * @param {boolean} [clear] take their marks away first (paintAll has already)
   */
  repaint(blocks, clear = true) {
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
    const spans = [];
    for (const { id, start, end } of this.views.values()) {
      if (start !== null && end !== null && start < hi && end > lo) spans.push({ id, start, end });
    }
    const segs = segments(spans);
    const later = [];
    let s = 0;
    for (const block of blocks) {
      while (s < segs.length && /** @type {Segment} */
      segs[s].end <= block.start) s++;
      const here = [];
      for (let k = s, seg = segs[k]; seg && seg.start < block.end; seg = segs[++k]) {
        const start = Math.max(seg.start, block.start) - block.start;
        here.push({ start, end: Math.min(seg.end, block.end) - block.start, seg });
      }
      const el = here.length ? blockElement(this.article, block.id) : null;
      if (el) later.push(...this.markBlock(el, block, here));
    }
    for (const id of later) {
      const mark = this.marksOf(id).find((m) => !this.inControl(m));
      if (!mark) continue;
      this.makeStop(
        /** @type {HTMLElement} */
        mark,
        [id]
      );
      mark.setAttribute("aria-description", this.marker(this.stops.get(mark) ?? [id], ""));
    }
    this.placeStop();
  }
  /**
   * @param {Element} el
   * @param {BlockPayload} block
   * @param {{start: number, end: number, seg: Segment}[]} pieces
   * @returns {string[]} the annotations starting here whose first mark is not a stop
   */
  markBlock(el, block, pieces2) {
    const later = [];
    const made = wrapRanges(el, pieces2, ({ seg }) => this.mark(seg));
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
      if (m !== mark) m.tabIndex = -1;
    }
    if (!mark) return;
    mark.tabIndex = 0;
    this.stopId = this.stops.get(mark)?.[0] ?? "";
  }
  /** @param {KeyboardEvent} event */
  onKey(event) {
    const target = (
      /** @type {HTMLElement} */
      event.target
    );
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
    next.focus();
  }
};

// reader_ext/widget/static/layout.js
var WIDE_PX = 680;
var LINE_PX = 18;
var PANE_MIN_PX = 320;
function scroller(el) {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const y = getComputedStyle(node).overflowY;
    if ((y === "auto" || y === "scroll") && node.clientHeight <= window.innerHeight) return node;
  }
  return null;
}
var Layout = class {
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
    this.mode = "wide";
    this.markers = h("div", "ar-buckets");
    this.markers.setAttribute("aria-hidden", "true");
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
    this.outer = /** @type {Element | null} */
    null;
  }
  /** Choose the layout for the reader's width and the panes' height for the notebook's. */
  measure() {
    const outer = this.outer ?? scroller(this.root);
    if (outer && outer !== this.outer) {
      this.outer = outer;
      this.observer.observe(outer);
    }
    const height = outer ? outer.clientHeight : window.innerHeight;
    this.body.style.setProperty("--ar-pane-height", `${Math.max(PANE_MIN_PX, height - 32)}px`);
    const mode = this.root.clientWidth >= WIDE_PX ? "wide" : "narrow";
    if (mode !== this.mode || !this.root.dataset.layout) {
      this.mode = mode;
      this.root.dataset.layout = mode;
      this.toggle.hidden = mode === "wide";
      if (mode === "wide") this.drawer(false);
    }
    this.paintMarkers();
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
  /** The markers in the margin: how many annotations start on each line, beside it. */
  paintMarkers() {
    const pane = this.main.getBoundingClientRect();
    const tops = /* @__PURE__ */ new Map();
    for (const [id, mark] of this.marks.starts()) {
      tops.set(id, mark.getBoundingClientRect().top - pane.top + this.main.scrollTop);
    }
    const items = this.views.flatMap((a) => {
      const top = tops.get(a.id);
      return top === void 0 ? [] : [{ id: a.id, top }];
    });
    this.markers.replaceChildren(
      ...buckets(items, LINE_PX).map((b) => {
        const marker = h("button", "ar-bucket", String(b.ids.length));
        marker.tabIndex = -1;
        marker.title = `${b.ids.length} annotation${b.ids.length === 1 ? "" : "s"} here: show`;
        marker.style.top = `${b.top}px`;
        marker.addEventListener("click", () => this.showCard(b.ids[0] || ""));
        return marker;
      })
    );
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
      const level2 = mark.getBoundingClientRect().top - this.main.getBoundingClientRect().top;
      scrollIntoPane(card, Math.max(8, level2));
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
      const mark = this.marks.first(
        /** @type {HTMLElement} */
        card.dataset.anno || ""
      );
      if (!mark) continue;
      const box = mark.getBoundingClientRect();
      if (box.bottom < top + 4) continue;
      scrollIntoPane(card, Math.max(8, box.top - top));
      return;
    }
  }
  stop() {
    this.observer.disconnect();
  }
};

// reader_ext/widget/static/messaging.js
async function unpack(buffer) {
  const bytes = ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
  const stream = new Blob([
    /** @type {BlobPart} */
    bytes
  ]).stream().pipeThrough(new DecompressionStream("deflate"));
  const table = (
    /** @type {SnapshotTable} */
    JSON.parse(await new Response(stream).text())
  );
  const { columns, rows, ...rest } = table;
  const annotations = rows.map(
    (row) => (
      /** @type {AnnotationView} */
      /** @type {unknown} */
      Object.fromEntries(columns.map((name, i) => [name, row[i]]))
    )
  );
  return { ...rest, annotations };
}
var TIMEOUT_MS = 1e4;
var KERNEL_LOST = "Not saved — the kernel restarted or stopped: run the cell again; your text is kept.";
var NO_ANSWER = "Not saved — the kernel did not answer in 10 seconds (busy, or stopped): your text is kept; try again.";
var PROBE_MS = 4e3;
var Channel = class {
  /**
   * @param {AnyModel<ReaderState>} model
   * @param {(msg: KernelMessage) => void} onMessage every message from the kernel, first
   * @param {{timeout?: number}} [options]
   */
  constructor(model, onMessage, options = {}) {
    this.model = model;
    this.onMessage = onMessage;
    this.timeout = options.timeout ?? TIMEOUT_MS;
    this.pending = /* @__PURE__ */ new Map();
    this.nextReq = 1;
    this.state = "connected";
    this.onState = () => {
    };
    this.probeTimer = void 0;
    this.inbox = Promise.resolve();
    this.unpacking = 0;
  }
  /**
   * Send a message that needs no answer. A comm that cannot send is noted, never thrown.
   * @param {HelloMessage | GlossOpenMessage} msg
   */
  send(msg) {
    this.trySend(msg);
  }
  /**
   * @param {object} msg
   * @returns {boolean} whether it went out
   */
  trySend(msg) {
    try {
      this.model.send(msg);
      return true;
    } catch {
      this.lose();
      return false;
    }
  }
  /**
   * Send a request; resolves with the kernel's answer to it, or with an error saying why there
   * was none (the kernel is gone, or it did not answer in time). Never rejects, never hangs.
   * @param {Request} msg
   * @returns {Promise<Reply>}
   */
  request(msg) {
    const req = this.nextReq++;
    if (this.state === "lost") return Promise.resolve(failure(req, KERNEL_LOST));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(req);
        resolve(failure(req, this.state === "lost" ? KERNEL_LOST : NO_ANSWER));
      }, this.timeout);
      this.pending.set(req, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      if (!this.trySend({ ...msg, req })) {
        clearTimeout(timer);
        this.pending.delete(req);
        resolve(failure(req, KERNEL_LOST));
      }
    });
  }
  /**
   * A message from the kernel (anywidget's `msg:custom`), with its binary buffers.
   * @param {unknown} msg
   * @param {(ArrayBuffer | ArrayBufferView)[]} [buffers]
   */
  receive(msg, buffers = []) {
    if (!msg || typeof msg !== "object" || !("type" in msg)) return;
    if (this.state === "lost" || this.probeTimer !== void 0) this.found();
    if (msg.type === "packed") {
      const [buffer] = buffers;
      if (!buffer) return;
      this.unpacking++;
      this.inbox = this.inbox.then(() => unpack(buffer)).then(
        (snapshot) => this.deliver(snapshot),
        (error) => console.error("Annotated Reader: a snapshot could not be unpacked", error)
      ).finally(() => this.unpacking--);
    } else if (this.unpacking) {
      this.inbox = this.inbox.then(() => this.deliver(
        /** @type {KernelMessage} */
        msg
      ));
    } else {
      this.deliver(
        /** @type {KernelMessage} */
        msg
      );
    }
  }
  /** @param {KernelMessage} message */
  deliver(message) {
    this.onMessage(message);
    if (message.type === "snapshot" || message.req === null) return;
    const resolve = this.pending.get(message.req);
    if (resolve) {
      this.pending.delete(message.req);
      resolve(message);
    }
  }
  /** The kernel may be gone (ipywidgets said so): believe it unless a probe is answered. */
  suspect() {
    if (this.probeTimer !== void 0) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = void 0;
      this.lose();
    }, PROBE_MS);
    this.trySend({ type: "hello" });
  }
  /** The kernel is gone: every waiting request is answered so, and listeners are told. */
  lose() {
    clearTimeout(this.probeTimer);
    this.probeTimer = void 0;
    if (this.state === "lost") return;
    this.state = "lost";
    for (const [req, resolve] of this.pending) resolve(failure(req, KERNEL_LOST));
    this.pending.clear();
    this.onState("lost", KERNEL_LOST);
  }
  /** The kernel answered after all. */
  found() {
    clearTimeout(this.probeTimer);
    this.probeTimer = void 0;
    if (this.state === "connected") return;
    this.state = "connected";
    this.onState("connected", "");
  }
  /** Listen to the model; returns the function that stops listening. */
  connect() {
    const listener = (msg, buffers) => this.receive(msg, buffers);
    const suspect = () => this.suspect();
    const lose = () => this.lose();
    this.model.on("msg:custom", listener);
    this.model.on("comm_live_update", suspect);
    this.model.on("comm:close", lose);
    return () => {
      this.model.off("msg:custom", listener);
      this.model.off("comm_live_update", suspect);
      this.model.off("comm:close", lose);
      clearTimeout(this.probeTimer);
    };
  }
};
function failure(req, message) {
  return { type: "error", req, message };
}

// reader_ext/widget/static/prompts.js
function renderPrompt(prompt, index) {
  const box = h("aside", "ar-prompt");
  box.dataset.prompt = prompt.id;
  box.contentEditable = "false";
  box.setAttribute("aria-label", `Discussion prompt ${index + 1}`);
  const label = h("p", "ar-prompt-label");
  label.append(h("span", "ar-prompt-badge", `Prompt ${index + 1}`));
  label.append(h("span", "ar-prompt-level", `${prompt.kind} · ${prompt.bloom}`));
  const quote = h("blockquote", "ar-prompt-quote", `“${prompt.quote}”`);
  const question = h("div", "ar-prompt-question");
  question.innerHTML = prompt.question_html;
  box.append(label, quote, question, h("div", "ar-answer"));
  return box;
}
function placePrompts(lesson, article) {
  const starts = new Map(lesson.blocks.map((b) => [b.id, b.start]));
  lesson.prompts.forEach((prompt, index) => {
    const block = blockElement(article, prompt.block);
    const blockStart = starts.get(prompt.block);
    if (!block || blockStart === void 0) return;
    const card = renderPrompt(prompt, index);
    card.id = `${article.id}-prompt-${prompt.id}`;
    wrapRange(block, prompt.start - blockStart, prompt.end - blockStart, () => {
      const mark = h("mark", "ar-prompt-anchor");
      mark.dataset.prompt = prompt.id;
      mark.setAttribute("aria-describedby", card.id);
      return mark;
    });
    let holder = block.closest("li, blockquote") || block;
    while (holder.nextElementSibling?.classList.contains("ar-prompt")) {
      holder = holder.nextElementSibling;
    }
    holder.after(card);
  });
}
var PromptAnswers = class {
  /**
   * @param {{lesson: LessonPayload, article: HTMLElement, uid: string, channel: Channel,
   *   announce: (text: string) => void, instructor?: boolean, student?: () => string}} where
   *   `student`: the student the instructor's list is filtered to ("" for all)
   */
  constructor(where) {
    this.lesson = where.lesson;
    this.article = where.article;
    this.channel = where.channel;
    this.where = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    this.instructor = Boolean(where.instructor);
    this.student = where.student ?? (() => "");
    this.all = [];
    if (this.instructor) {
      for (const label of this.article.querySelectorAll(".ar-prompt .ar-prompt-label")) {
        const id = label.closest(".ar-prompt")?.getAttribute("data-prompt") || "";
        label.querySelector(".ar-prompt-badge")?.after(h("code", "ar-prompt-id", id));
      }
    }
  }
  /**
   * Show each prompt's answer (or the button to write one); returns how many are answered.
   * @param {AnnotationView[]} all every annotation on the lesson
   */
  refresh(all) {
    this.all = all;
    let answered = 0;
    for (const prompt of this.lesson.prompts) {
      const card = (
        /** @type {HTMLElement | null} */
        this.article.querySelector(`.ar-prompt[data-prompt="${CSS.escape(prompt.id)}"]`)
      );
      const box = card?.querySelector(".ar-answer");
      if (!card || !box) continue;
      const mine = all.find((a) => a.kind === "answer" && a.mine && a.prompt === prompt.id);
      if (mine) answered++;
      card.dataset.answered = String(Boolean(mine));
      if (box.querySelector("form")) continue;
      box.replaceChildren();
      if (this.instructor) {
        box.append(...this.classAnswers(prompt, all));
        continue;
      }
      const status = h("p", "ar-answer-status", mine ? "✓ Answered" : "Not answered yet");
      if (mine) {
        const shown = h("div", "ar-answer-text");
        shown.innerHTML = mine.body_html;
        const edit = h("button", "ar-answer-edit", "Edit answer");
        edit.addEventListener("click", () => this.answerForm(box, prompt, mine));
        nameFor(edit, card.getAttribute("aria-label") || prompt.id);
        box.append(status, shown, edit);
      } else {
        const open = h("button", "ar-answer-open", "Answer this prompt");
        open.addEventListener("click", () => this.answerForm(box, prompt, null));
        nameFor(open, card.getAttribute("aria-label") || prompt.id);
        box.append(status, open);
      }
    }
    return answered;
  }
  /**
   * What the class answered to `prompt`, for the instructor: how many students, and each
   * answer (of the student the list is filtered to, if any), oldest first.
   * @param {PromptPayload} prompt
   * @param {AnnotationView[]} all
   * @returns {HTMLElement[]}
   */
  classAnswers(prompt, all) {
    const answers = all.filter((a) => a.kind === "answer" && a.prompt === prompt.id).sort((a, b) => a.author.localeCompare(b.author) || a.created.localeCompare(b.created));
    const who = new Set(answers.map((a) => a.author)).size;
    const student = this.student();
    const shown = student ? answers.filter((a) => a.author === student) : answers;
    const count = who ? `${answers.length} answer${answers.length === 1 ? "" : "s"} from ${who} student${who === 1 ? "" : "s"}` : "No student has answered yet";
    const status = h("p", "ar-answer-status ar-class-count", count);
    if (!answers.length) return [status];
    if (student) status.append(` · ${student}: ${shown.length ? shown.length : "no answer"}`);
    const list = h("ol", "ar-class-answers");
    list.setAttribute("aria-label", `Answers to prompt ${this.lesson.prompts.indexOf(prompt) + 1}`);
    for (const a of shown) {
      const item = h("li", "ar-class-answer");
      const meta = h("p", "ar-card-meta");
      const time = h("time", "", shortTime(a.created));
      time.dateTime = a.created;
      meta.append(h("span", "ar-card-author", a.author), document.createTextNode(" · "), time);
      const body = h("div", "ar-answer-text");
      body.innerHTML = a.body_html;
      item.append(meta, body);
      list.append(item);
    }
    const more = h("details", "ar-class-answers-box");
    more.open = shown.length <= 3;
    more.append(h("summary", "", `Read the answers (${shown.length})`), list);
    return [status, more];
  }
  /**
   * @param {Element} box
   * @param {PromptPayload} prompt
   * @param {AnnotationView | null} mine
   */
  answerForm(box, prompt, mine) {
    const form = editor(this.where, {
      draftKey: `answer:${prompt.id}`,
      label: "Your answer",
      initial: mine?.body,
      saveLabel: mine ? "Update answer" : "Save answer",
      save: (body) => mine ? this.channel.request({ type: "edit", id: mine.id, body }) : this.channel.request({ type: "create", kind: "answer", prompt: prompt.id, body }),
      done: () => {
        form.remove();
        this.refresh(this.all);
        box.querySelector("button")?.focus({ preventScroll: true });
      }
    });
    box.replaceChildren(form);
    focusEditor(form);
  }
};

// reader_ext/widget/static/selection.js
function pointOffset(block, node, offset) {
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEnd(node, offset);
  return codePointLength(range.toString());
}
function selectionOffsets(article, blockStarts) {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(article)) return null;
  const parts = [];
  for (const node of article.querySelectorAll("[data-block]")) {
    const block = (
      /** @type {HTMLElement} */
      node
    );
    const blockStart = blockStarts.get(block.dataset.block || "");
    if (blockStart === void 0 || !range.intersectsNode(block)) continue;
    if (block.parentElement?.closest("[data-block]")) continue;
    const part = document.createRange();
    part.selectNodeContents(block);
    if (range.compareBoundaryPoints(Range.START_TO_START, part) > 0) {
      part.setStart(range.startContainer, range.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, part) < 0) {
      part.setEnd(range.endContainer, range.endOffset);
    }
    const text2 = part.toString();
    if (!text2) continue;
    const start = blockStart + pointOffset(block, part.startContainer, part.startOffset);
    parts.push({ start, end: start + codePointLength(text2), text: text2 });
  }
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!first || !last) return null;
  const text = parts.map((p) => p.text).join("\n");
  if (last.end <= first.start || !text.trim()) return null;
  return { start: first.start, end: last.end, text };
}
function selectionRect() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const rect = selection.getRangeAt(0).getBoundingClientRect();
  return rect.width || rect.height ? rect : null;
}
function placeNear(el, anchor) {
  const pane = (
    /** @type {HTMLElement | null} */
    el.offsetParent
  );
  if (!pane) return;
  const box = pane.getBoundingClientRect();
  const dx = pane.scrollLeft - box.left - pane.clientLeft;
  const dy = pane.scrollTop - box.top - pane.clientTop;
  const shown = visibleBox(pane);
  const inSight = anchor.bottom > shown.top && anchor.top < shown.bottom;
  const seen = inSight ? shown : { left: box.left, top: -Infinity, right: box.right, bottom: Infinity };
  const at = placeBeside(
    { left: anchor.left + dx, top: anchor.top + dy, right: anchor.right + dx, bottom: anchor.bottom + dy },
    { width: el.offsetWidth, height: el.offsetHeight },
    { left: seen.left + dx, top: seen.top + dy, right: seen.right + dx, bottom: seen.bottom + dy }
  );
  el.style.left = `${at.left}px`;
  el.style.top = `${at.top}px`;
  el.dataset.side = at.above ? "above" : "below";
}
var SelectionBar = class {
  /**
   * @param {{article: HTMLElement, blocks: readonly BlockPayload[],
   *   announce: (text: string) => void}} where
   * @param {{highlight: (sel: Selected) => void, note: (sel: Selected) => void}} actions
   */
  constructor(where, actions) {
    this.article = where.article;
    this.announce = where.announce;
    this.blockStarts = new Map(where.blocks.map((b) => [b.id, b.start]));
    this.selection = null;
    this.el = h("div", "ar-selbar");
    this.el.setAttribute("role", "toolbar");
    this.el.setAttribute("aria-label", "Annotate the selected text");
    this.el.hidden = true;
    const highlight = h("button", "ar-sel-highlight", "Highlight");
    const note = h("button", "ar-sel-note", "Add note");
    highlight.addEventListener("click", () => this.act(actions.highlight));
    note.addEventListener("click", () => this.act(actions.note));
    this.el.append(highlight, note);
    this.el.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.el.hidden = true;
        this.article.focus({ preventScroll: true });
      } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        (document.activeElement === highlight ? note : highlight).focus();
      }
    });
    this.pressed = false;
    this.timer = void 0;
    this.stop = () => {
    };
    this.listen();
  }
  /** @param {(sel: Selected) => void} action */
  act(action) {
    if (!this.selection) return;
    this.el.hidden = true;
    action(this.selection);
  }
  /** Show the bar for the current selection, or hide it when there is none. */
  update() {
    const found = selectionOffsets(this.article, this.blockStarts);
    if (found) {
      this.selection = found;
      this.show();
    } else if (!this.el.contains(document.activeElement)) {
      this.el.hidden = true;
    }
  }
  listen() {
    const article = this.article;
    const soon = (ms) => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.update(), ms);
    };
    article.addEventListener("pointerdown", (event) => {
      if (event.button === 0) this.pressed = true;
    });
    const release = () => {
      if (!this.pressed) return;
      this.pressed = false;
      soon(0);
    };
    document.addEventListener("pointerup", release);
    document.addEventListener("pointercancel", release);
    const changed = () => {
      if (!this.pressed) soon(120);
    };
    document.addEventListener("selectionchange", changed);
    let frame = 0;
    const scrolled = () => {
      if (this.el.hidden || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const rect = selectionRect();
        if (rect && !this.el.hidden) placeNear(this.el, rect);
      });
    };
    document.addEventListener("scroll", scrolled, true);
    this.stop = () => {
      document.removeEventListener("pointerup", release);
      document.removeEventListener("pointercancel", release);
      document.removeEventListener("selectionchange", changed);
      document.removeEventListener("scroll", scrolled, true);
    };
    article.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.target !== article) return;
      const found = selectionOffsets(article, this.blockStarts);
      if (!found) return;
      event.preventDefault();
      this.selection = found;
      this.show();
      this.el.querySelector("button")?.focus({ preventScroll: true });
    });
  }
  /** Show the bar beside the selection, inside the visible part of the reading's pane. */
  show() {
    const rect = selectionRect();
    if (!rect) return;
    const was = this.el.hidden;
    this.el.hidden = false;
    placeNear(this.el, rect);
    if (was) this.announce("Text selected. Press Enter for Highlight and Add note.");
  }
};
function caretToggle(article, announce2) {
  const button = h("button", "ar-caret-toggle", "Select text with keyboard");
  button.setAttribute("aria-pressed", "false");
  const caret = h("div", "ar-caret");
  caret.hidden = true;
  caret.setAttribute("aria-hidden", "true");
  const drawCaret = () => {
    const selection = document.getSelection();
    const on = article.classList.contains("ar-caret-mode");
    const range = selection && selection.rangeCount ? selection.getRangeAt(0) : null;
    const pane = (
      /** @type {HTMLElement | null} */
      caret.offsetParent ?? article.parentElement
    );
    if (!on || !range || !article.contains(range.startContainer) || !pane) {
      caret.hidden = true;
      return;
    }
    const rects = range.getClientRects();
    const point2 = selection?.isCollapsed ? rects[0] : null;
    const box = point2 ?? range.getBoundingClientRect();
    const paneBox = pane.getBoundingClientRect();
    caret.hidden = !point2;
    caret.style.left = `${box.left - paneBox.left + pane.scrollLeft}px`;
    caret.style.top = `${box.top - paneBox.top + pane.scrollTop}px`;
    caret.style.height = `${box.height || 18}px`;
  };
  const home = () => {
    const selection = document.getSelection();
    if (selection?.rangeCount && article.contains(selection.getRangeAt(0).startContainer)) return;
    const first = article.querySelector("[data-block]");
    if (first) selection?.collapse(first, 0);
  };
  article.addEventListener("keydown", (event) => {
    if (!article.classList.contains("ar-caret-mode") || event.target !== article) return;
    const moves = (
      /** @type {Record<string, [string, string]>} */
      {
        ArrowLeft: ["backward", event.ctrlKey ? "word" : "character"],
        ArrowRight: ["forward", event.ctrlKey ? "word" : "character"],
        ArrowUp: ["backward", "line"],
        ArrowDown: ["forward", "line"],
        Home: ["backward", event.ctrlKey ? "documentboundary" : "lineboundary"],
        End: ["forward", event.ctrlKey ? "documentboundary" : "lineboundary"]
      }
    );
    const move = moves[event.key];
    const selection = document.getSelection();
    if (move && selection) {
      event.preventDefault();
      home();
      selection.modify(event.shiftKey ? "extend" : "move", move[0], move[1]);
      drawCaret();
    } else if (event.key === "Escape" && selection && !selection.isCollapsed) {
      event.preventDefault();
      selection.collapseToEnd();
      drawCaret();
    }
  });
  article.addEventListener("focus", () => {
    if (!article.classList.contains("ar-caret-mode")) return;
    home();
    drawCaret();
  });
  article.addEventListener("blur", () => caret.hidden = true);
  button.addEventListener("click", () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    article.classList.toggle("ar-caret-mode", on);
    if (on) {
      if (!caret.isConnected) article.after(caret);
      article.tabIndex = 0;
      article.setAttribute(
        "aria-description",
        "Keyboard selection: arrow keys move, Shift+arrows select, Enter annotates"
      );
      article.focus({ preventScroll: true });
      announce2(
        "Keyboard selection on: move with the arrow keys, select with Shift+arrows, then press Enter to annotate."
      );
    } else {
      article.tabIndex = -1;
      article.removeAttribute("aria-description");
      caret.hidden = true;
      announce2("Keyboard selection off.");
    }
  });
  return button;
}

// reader_ext/widget/static/sidelist.js
var PAGE = 100;
var TOP_KINDS = ["highlight", "note", "answer", "lesson-note"];
function select(text, options) {
  const label = h("label", "ar-filter");
  label.append(h("span", "", `${text} `));
  const el = h("select");
  setOptions(el, options);
  label.append(el);
  return { label, select: el };
}
function setOptions(el, options) {
  el.replaceChildren();
  for (const [value = "", name = ""] of options) {
    const option = h("option", "", name);
    option.value = value;
    el.append(option);
  }
}
function find(root, selector) {
  return (
    /** @type {HTMLElement} */
    root.querySelector(selector)
  );
}
var SideList = class {
  /**
   * @param {{lesson: LessonPayload, uid: string, instructor: boolean, live: HTMLElement}} where
   * @param {Cards} cards
   * @param {() => void} onFilter the filters changed: refresh what depends on them
   */
  constructor(where, cards, onFilter) {
    this.lesson = where.lesson;
    this.instructor = where.instructor;
    this.cards = cards;
    this.filter = { who: "all", tag: "", prompt: "", student: "" };
    this.shown = PAGE;
    this.only = null;
    this.all = [];
    this.onFilter = onFilter;
    this.live = where.live;
    this.count = { shown: 0, total: 0 };
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
    const filter = (key, text, options) => {
      const f = select(text, options);
      f.select.classList.add(`ar-filter-${key}`);
      f.select.addEventListener("change", () => {
        this.filter[key] = f.select.value;
        this.only = null;
        this.onFilter();
        const { shown, total } = this.count;
        announce(this.live, `${this.title()}: ${shown} of ${total} shown.`);
      });
      filters.append(f.label);
    };
    filter("who", "Show", [
      ["all", "Everyone’s"],
      ["mine", "Mine"],
      ["orphans", "Orphans"]
    ]);
    filter("tag", "Tag", [["", "Any tag"]]);
    filter("prompt", "Prompt", [
      ["", "Any prompt"],
      // Text order, as the prompts are numbered in the reading; instructors see the ids too.
      ...this.lesson.prompts.map((p, i) => [p.id, `Prompt ${i + 1}${this.instructor ? ` (${p.id})` : ""}`])
    ]);
    if (this.instructor) filter("student", "Student", [["", "All students"]]);
    const progress = h("p", "ar-progress");
    const newNote = h("div", "ar-new-note");
    const lessonTitle = h("h4", "ar-lesson-notes-title", "Notes on the whole lesson");
    const lessonNotes = h("ol", "ar-lesson-notes");
    lessonNotes.setAttribute("aria-label", "Notes on the whole lesson");
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
    side.append(title, progress, filters, newNote, lessonTitle, lessonNotes, onlyBar, list);
    side.append(more, empty);
    side.append(orphanTitle, orphans);
    return side;
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
    if (f.student && a.author !== f.student) return false;
    return true;
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
    const top = all.filter((a) => TOP_KINDS.includes(a.kind));
    const onLesson = top.filter((a) => a.kind === "lesson-note" && this.passes(a));
    find(this.el, ".ar-lesson-notes").replaceChildren(...onLesson.map((a) => this.cards.card(a)));
    find(this.el, ".ar-lesson-notes-title").hidden = !onLesson.length;
    const placed = top.filter((a) => a.kind !== "lesson-note" && a.anchor !== "orphan").filter((a) => this.passes(a) && (!this.only || this.only.has(a.id)));
    const onlyBar = find(this.el, ".ar-only");
    onlyBar.hidden = !this.only;
    find(onlyBar, ".ar-only-text").textContent = `Showing the ${placed.length} annotations on the passage you chose.`;
    placed.sort((a, b) => this.position(a) - this.position(b) || a.created.localeCompare(b.created));
    find(this.el, ".ar-list").replaceChildren(
      ...placed.slice(0, this.shown).map((a) => this.cards.card(a))
    );
    const more = find(this.el, ".ar-more");
    more.hidden = placed.length <= this.shown;
    more.textContent = `Show more (${placed.length - this.shown} not shown)`;
    const orphaned = top.filter((a) => a.anchor === "orphan" && (this.filter.who !== "mine" || a.mine));
    find(this.el, ".ar-orphans").replaceChildren(...orphaned.map((a) => this.cards.card(a)));
    find(this.el, ".ar-orphans-title").hidden = !orphaned.length;
    find(this.el, ".ar-empty").hidden = placed.length + onLesson.length > 0;
    this.refreshTags(top);
    if (this.instructor) this.refreshStudents(all);
    const mine = top.filter((a) => a.mine).length;
    this.count = { shown: placed.length + onLesson.length + orphaned.length, total: top.length };
    find(this.el, ".ar-side-title").textContent = this.filtered() ? `${this.title()} (${this.count.shown} of ${top.length} shown)` : `Annotations (${top.length}${mine && mine !== top.length ? `, ${mine} mine` : ""})`;
  }
  /** Whether any filter is set. */
  filtered() {
    const f = this.filter;
    return f.who !== "all" || Boolean(f.tag || f.prompt || f.student);
  }
  /** The list's title for the filters set: "ben’s annotations, tagged “oil”, on prompt 2". */
  title() {
    const f = this.filter;
    let whose = "Annotations";
    if (f.who === "mine") whose = "Your annotations";
    else if (f.who === "orphans") whose = "Orphaned annotations";
    if (f.student) whose = f.who === "all" ? `${f.student}’s annotations` : `${whose} by ${f.student}`;
    const parts = [whose];
    if (f.tag) parts.push(`tagged “${f.tag}”`);
    const n = this.lesson.prompts.findIndex((p) => p.id === f.prompt);
    if (f.prompt) parts.push(`answering prompt ${n + 1}`);
    return parts.join(", ");
  }
  /** @param {AnnotationView[]} top */
  refreshTags(top) {
    const el = (
      /** @type {HTMLSelectElement} */
      find(this.el, ".ar-filter-tag")
    );
    const tags = [...new Set(top.flatMap((a) => a.tags))].sort((a, b) => a.localeCompare(b));
    const current = el.value;
    setOptions(el, [["", "Any tag"], ...tags.map((t) => [t, t])]);
    el.value = tags.includes(current) ? current : "";
  }
  /** @param {AnnotationView[]} all */
  refreshStudents(all) {
    const el = (
      /** @type {HTMLSelectElement | null} */
      this.el.querySelector(".ar-filter-student")
    );
    if (!el) return;
    const names = students(all);
    const current = el.value;
    setOptions(el, [["", `All students (${names.length})`], ...names.map((n) => [n, n])]);
    el.value = names.includes(current) ? current : "";
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
    scrollIntoPane(find(this.el, ".ar-only"), 8);
    const first = (
      /** @type {HTMLElement | null} */
      this.el.querySelector(".ar-list > .ar-card")
    );
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
    const card = (
      /** @type {HTMLElement | null} */
      this.el.querySelector(selector)
    );
    if (card) focusOn(card);
  }
};
function students(all) {
  return [...new Set(all.map((a) => a.author))].sort((a, b) => a.localeCompare(b));
}

// reader_ext/widget/static/annotations.js
var Annotations = class {
  /**
   * @param {{model: AnyModel<ReaderState>, lesson: LessonPayload, root: HTMLElement,
   *   article: HTMLElement, live: HTMLElement, uid: string, channel?: Channel}} opts
   */
  constructor({ model, lesson, root, article, live, uid, channel }) {
    this.lesson = lesson;
    this.root = root;
    this.items = /* @__PURE__ */ new Map();
    this.audiences = [];
    this.instructor = model.get("mode") === "instructor";
    this.announce = (text) => announce(live, text);
    this.channel = channel ?? new Channel(model, () => {
    });
    this.channel.onMessage = (msg) => this.receive(msg);
    this.article = article;
    this.connection = h("p", "ar-connection");
    this.connection.setAttribute("role", "alert");
    this.connection.hidden = true;
    this.channel.onState = (state, why) => {
      this.connection.hidden = state !== "lost";
      this.connection.textContent = state === "lost" ? why.replace("Not saved — ", "Nothing can be saved now: ") : "";
    };
    const where = { lesson, root, article, live, uid, blocks: lesson.blocks };
    const shared2 = { ...where, channel: this.channel, announce: this.announce };
    this.highlights = new Highlights(article, lesson.blocks, {
      open: (ids) => this.layout.showCards(ids),
      passes: (a) => this.side.passes(a)
    });
    this.cards = new Cards(shared2, {
      flash: (id) => this.highlights.flash(id),
      focusCard: (id) => this.layout.showCard(id),
      focusList: () => this.focusText()
    });
    this.side = new SideList({ ...where, instructor: this.instructor }, this.cards, () => {
      this.highlights.paintAll(this.items.values());
      this.refresh();
    });
    this.highlights.followCards(this.side.el);
    this.prompts = new PromptAnswers({
      ...shared2,
      instructor: this.instructor,
      student: () => this.side.filter.student
    });
    this.comments = lesson.comments.length ? new Comments(shared2, this.cards) : null;
    this.heat = new HeatLayer(shared2, () => {
      const all = [...this.items.values()];
      return {
        views: all.filter((a) => this.side.passes(a)),
        students: students(all).length,
        filters: this.side.filtered() ? this.side.title() : ""
      };
    });
    this.selection = new SelectionBar(
      { article, blocks: lesson.blocks, announce: this.announce },
      {
        highlight: (sel) => this.createHighlight(sel),
        note: (sel) => this.openNoteEditor(sel)
      }
    );
    this.editorWhere = { uri: lesson.uri, uid, announce: this.announce };
    this.notePop = null;
    this.layout = /** @type {Layout} */
    /** @type {unknown} */
    null;
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
      marks: { first: (id) => this.highlights.marksOf(id)[0], starts: () => this.highlights.starts() }
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
      performance.mark("reader:snapshot");
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
    const audience = visibilityChoice(this.editorWhere.uid, this.audiences);
    const blocks = this.lesson.blocks;
    const pending = paintRange(this.article, blocks, start, end, () => h("mark", "ar-pending"));
    const pop = h("div", "ar-note-pop");
    const form = editor(this.editorWhere, {
      draftKey: `note:${start}-${end}`,
      quote: sel.text,
      withTags: true,
      label: "New note",
      extra: audience.element,
      save: (body, tags) => this.channel.request({
        type: "create",
        kind: "note",
        ...{ start, end, body, tags },
        ...audience.value()
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
      }
    });
    pop.append(form);
    (this.main ?? this.article.parentElement)?.append(pop);
    this.notePop = pop;
    const anchor = () => union(pending);
    placeNear(pop, anchor());
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
};
function union(els) {
  const boxes = els.map((el) => el.getBoundingClientRect()).filter((b) => b.width || b.height);
  if (!boxes.length) return new DOMRect();
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.right));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  return new DOMRect(left, top, right - left, bottom - top);
}

// reader_ext/widget/static/onscreen.js
function visibleArea(el) {
  const area = { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    const clips = /(auto|scroll|hidden|clip)/.test(`${style.overflowX} ${style.overflowY}`) || /(paint|strict|content)/.test(style.contain);
    if (!clips) continue;
    const box = node.getBoundingClientRect();
    area.top = Math.max(area.top, box.top);
    area.left = Math.max(area.left, box.left);
    area.bottom = Math.min(area.bottom, box.bottom);
    area.right = Math.min(area.right, box.right);
  }
  return area;
}
var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
function tabbableAfter(root, from, skip) {
  for (const node of root.querySelectorAll(FOCUSABLE)) {
    const el = (
      /** @type {HTMLElement} */
      node
    );
    if (from.contains(el) || skip.contains(el)) continue;
    if (!(from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
    if (el.tabIndex < 0 || el.matches(":disabled") || el.closest("[hidden], [inert]")) continue;
    if (!el.getClientRects().length) continue;
    return el;
  }
  return null;
}
function reveal(target, rect) {
  for (let node = target.parentElement; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (!/(auto|scroll)/.test(style.overflowY) || node.scrollHeight <= node.clientHeight) continue;
    const box = node.getBoundingClientRect();
    const at2 = rect();
    if (at2.top >= box.top && at2.bottom <= box.bottom) continue;
    node.scrollTop += at2.top - (box.top + box.height / 2 - at2.height / 2);
  }
  const at = rect();
  if (at.top < 0 || at.bottom > window.innerHeight) {
    window.scrollBy(0, at.top - window.innerHeight / 2);
  }
}

// reader_ext/widget/static/search.js
var MAX_MATCHES = 2e3;
var TYPING_MS = 150;
var BREAK = "\0";
var SKIP = "textarea, input, select, button, script, style, form, .ar-prompt-label, .ar-answer";
var BLOCKS = "[data-block], .ar-prompt";
var QUOTES = (
  /** @type {Record<string, string>} */
  {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "«": '"',
    "»": '"',
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    " ": " "
  }
);
var folded = /* @__PURE__ */ new Map();
function foldUnit(c) {
  let out = folded.get(c);
  if (out === void 0) {
    const code = c.charCodeAt(0);
    const latin = code >= 192 && code <= 591 || code >= 7680 && code <= 7935;
    const base = QUOTES[c] ?? (latin ? c.normalize("NFD")[0] : c) ?? c;
    const lower = base.toLocaleLowerCase();
    out = lower.length === 1 ? lower : base;
    folded.set(c, out);
  }
  return out;
}
function foldText(text) {
  let out = "";
  for (let i = 0; i < text.length; i++) out += foldUnit(text.charAt(i));
  return out;
}
function indexText(article) {
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => {
      if (node.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
      const el = (
        /** @type {Element} */
        node
      );
      if (el.matches(SKIP)) return NodeFilter.FILTER_REJECT;
      return el.matches(BLOCKS) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    }
  });
  const nodes = [];
  const starts = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType !== Node.TEXT_NODE) {
      if (nodes.length && !text.endsWith(BREAK)) text += BREAK;
      continue;
    }
    const textNode = (
      /** @type {Text} */
      node
    );
    nodes.push(textNode);
    starts.push(text.length);
    text += foldText(textNode.data);
  }
  return { nodes, starts, text };
}
function point(index, at, end) {
  let lo = 0;
  let hi = index.starts.length - 1;
  while (lo < hi) {
    const mid = lo + hi + 1 >> 1;
    const start = index.starts[mid] ?? 0;
    if (start < at || !end && start === at) lo = mid;
    else hi = mid - 1;
  }
  const node = (
    /** @type {Text} */
    index.nodes[lo]
  );
  return [node, Math.min(at - (index.starts[lo] ?? 0), node.length)];
}
function findMatches(article, query) {
  const wanted = foldText(query.trim());
  if (!wanted) return { starts: [], ranges: [] };
  const index = indexText(article);
  const starts = [];
  for (let i = index.text.indexOf(wanted); i >= 0 && starts.length < MAX_MATCHES; ) {
    starts.push(i);
    i = index.text.indexOf(wanted, i + wanted.length);
  }
  const ranges = starts.map((start) => {
    const range = document.createRange();
    range.setStart(...point(index, start, false));
    range.setEnd(...point(index, start + wanted.length, true));
    return range;
  });
  return { starts, ranges };
}
var shared = null;
function highlights() {
  if (!shared && typeof CSS !== "undefined" && "highlights" in CSS) {
    shared = { all: new Highlight(), current: new Highlight() };
    shared.current.priority = 1;
    CSS.highlights.set("ar-search", shared.all);
    CSS.highlights.set("ar-search-current", shared.current);
  }
  return shared;
}
var Search = class {
  /**
   * @param {{article: HTMLElement, uid: string}} where
   */
  constructor(where) {
    this.article = where.article;
    this.ranges = [];
    this.starts = [];
    this.current = -1;
    this.query = "";
    this.timer = void 0;
    this.el = h("div", "ar-search");
    this.el.setAttribute("role", "search");
    this.el.setAttribute("aria-label", "Search the reading");
    const label = h("label", "ar-search-label");
    label.append(h("span", "", "Search the reading "));
    this.input = h("input", "ar-search-input");
    this.input.type = "search";
    this.input.autocomplete = "off";
    this.input.spellcheck = false;
    this.input.id = `${where.uid}-search`;
    this.input.setAttribute("aria-keyshortcuts", "Control+F");
    this.input.setAttribute("aria-describedby", `${where.uid}-search-count`);
    label.append(this.input);
    this.prev = h("button", "ar-search-prev", "↑");
    this.prev.setAttribute("aria-label", "Previous match");
    this.prev.title = "Previous match (Shift+Enter)";
    this.next = h("button", "ar-search-next", "↓");
    this.next.setAttribute("aria-label", "Next match");
    this.next.title = "Next match (Enter)";
    this.count = h("output", "ar-search-count");
    this.count.id = `${where.uid}-search-count`;
    this.count.setAttribute("aria-live", "polite");
    this.el.append(label, this.prev, this.next, this.count);
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(0), TYPING_MS);
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.step(event.shiftKey ? -1 : 1);
      } else if (event.key === "Escape" && this.input.value) {
        event.stopPropagation();
        this.clear();
      }
    });
    this.slot = h("div", "ar-search-slot");
    this.slot.append(this.el);
    const follow = () => this.float();
    this.el.addEventListener("focusin", () => {
      document.addEventListener("scroll", follow, true);
      this.float();
    });
    this.el.addEventListener("focusout", (event) => {
      if (this.el.contains(
        /** @type {Node | null} */
        event.relatedTarget
      )) return;
      document.removeEventListener("scroll", follow, true);
      this.el.classList.remove("ar-search-floating");
      this.el.style.top = "";
    });
    this.prev.addEventListener("click", () => this.step(-1));
    this.next.addEventListener("click", () => this.step(1));
    this.setButtons();
    this.observer = new MutationObserver(() => {
      if (!this.input.value) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(this.at), TYPING_MS);
    });
    this.observer.observe(this.article, { childList: true, subtree: true, characterData: true });
    this.at = 0;
  }
  /**
   * Find the box's text; the current match becomes the first at or after `from`.
   * @param {number} from a folded-text offset
   */
  run(from) {
    clearTimeout(this.timer);
    this.timer = void 0;
    this.forget();
    const wanted = foldText(this.input.value.trim());
    this.query = wanted;
    if (!wanted) {
      this.show();
      return;
    }
    const { starts, ranges } = findMatches(this.article, this.input.value);
    this.ranges = ranges;
    this.starts = starts;
    const marks = highlights();
    for (const range of this.ranges) marks?.all.add(range);
    const next = starts.findIndex((start) => start >= from);
    this.current = this.ranges.length ? Math.max(next, 0) : -1;
    this.show();
  }
  /**
   * The next (1) or previous (-1) match, round the end.
   * @param {number} delta
   */
  step(delta) {
    if (this.timer !== void 0 || this.query !== foldText(this.input.value.trim())) {
      const same = this.query === foldText(this.input.value.trim()) && this.current >= 0;
      this.run(this.at);
      if (!same) return;
    }
    if (!this.ranges.length) return;
    this.current = (this.current + delta + this.ranges.length) % this.ranges.length;
    this.show();
  }
  /** Paint the current match, bring it into view, and say where it is. */
  show() {
    const marks = highlights();
    marks?.current.clear();
    const range = this.ranges[this.current];
    const n = this.ranges.length;
    if (!this.input.value.trim()) this.count.textContent = "";
    else if (!range) this.count.textContent = "No matches";
    else {
      this.at = this.starts[this.current] ?? 0;
      marks?.current.add(range);
      const more = n >= MAX_MATCHES ? " or more" : "";
      this.count.textContent = `${this.current + 1} of ${n}${more}`;
      const box = () => range.getBoundingClientRect();
      const area = visibleArea(this.article);
      const at = box();
      if (at.top < area.top || at.bottom > area.bottom) {
        reveal(
          /** @type {Element} */
          range.startContainer.parentElement,
          box
        );
      }
    }
    this.setButtons();
  }
  /** Float the box at the top of the visible area if its own place is out of sight. */
  float() {
    const area = visibleArea(this.slot);
    const place = this.slot.getBoundingClientRect();
    const parent = (
      /** @type {HTMLElement | null} */
      this.el.offsetParent
    );
    const away = place.top < area.top || place.bottom > area.bottom;
    this.slot.style.minHeight = away ? `${place.height}px` : "";
    this.el.classList.toggle("ar-search-floating", away);
    if (!away || !parent) {
      this.el.style.top = "";
      return;
    }
    const origin = parent.getBoundingClientRect();
    this.el.style.top = `${area.top - origin.top + 4}px`;
  }
  setButtons() {
    this.prev.disabled = this.next.disabled = this.ranges.length < 2;
  }
  /** Take this search's ranges off the page. */
  forget() {
    const marks = highlights();
    for (const range of this.ranges) {
      marks?.all.delete(range);
      marks?.current.delete(range);
    }
    this.ranges = [];
    this.starts = [];
    this.current = -1;
  }
  clear() {
    this.input.value = "";
    this.at = 0;
    this.forget();
    this.show();
  }
  /** Put the focus in the box, its text selected (as Ctrl+F does in a browser). */
  focus() {
    this.input.focus();
    this.input.select();
  }
  /**
   * Ctrl+F (⌘F) with the focus in the reader searches the reading instead of the notebook.
   * Listens on the window in the capture phase, before JupyterLab's own shortcut handling.
   * @param {HTMLElement} root
   * @returns {() => void} stop listening (and take the highlights off)
   */
  shortcut(root) {
    const onKey = (event) => {
      if (event.key.toLowerCase() !== "f" || !(event.ctrlKey || event.metaKey)) return;
      if (event.altKey || event.shiftKey) return;
      if (!root.contains(
        /** @type {Node} */
        event.target
      )) return;
      event.preventDefault();
      event.stopPropagation();
      this.focus();
    };
    window.addEventListener("keydown", onKey, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      this.observer.disconnect();
      this.forget();
    };
  }
};

// reader_ext/widget/static/glosses.js
var HOVER_OPEN_MS = 200;
var HOVER_CLOSE_MS = 300;
var GlossPopup = class {
  /**
   * @param {HTMLElement} root
   * @param {Map<string, GlossPayload>} glosses
   * @param {string} uid
   */
  constructor(root, glosses, uid) {
    this.root = root;
    this.glosses = glosses;
    this.el = h("div", "ar-gloss-popup");
    this.el.id = `${uid}-gloss`;
    this.el.setAttribute("role", "dialog");
    this.el.setAttribute("aria-labelledby", `${uid}-gloss-term`);
    this.el.tabIndex = -1;
    this.el.hidden = true;
    this.term = null;
    this.pinned = false;
    this.timer = void 0;
    this.uid = uid;
    this.onOpen = () => {
    };
    this.frame = 0;
    this.follow = () => {
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (this.term && !this.el.hidden) this.place(this.term);
      });
    };
    this.el.addEventListener("mouseenter", () => clearTimeout(this.timer));
    this.el.addEventListener("mouseleave", () => this.closeSoon());
    this.el.addEventListener("keydown", (event) => {
      if (event.key !== "Tab" || !this.term) return;
      const inside = this.tabbables();
      const first = inside[0] ?? this.el;
      const last = inside.at(-1) ?? this.el;
      const active = document.activeElement;
      const term = this.term;
      if (event.shiftKey && (active === first || active === this.el)) {
        event.preventDefault();
        this.close(true);
      } else if (!event.shiftKey && (active === last || active === this.el && !inside.length)) {
        const next = tabbableAfter(this.root, term, this.el);
        if (!next) return;
        event.preventDefault();
        this.close(false);
        next.focus();
      }
    });
    this.el.addEventListener("focusout", (event) => {
      const to = (
        /** @type {Node | null} */
        event.relatedTarget
      );
      if (to && !this.el.contains(to) && to !== this.term) this.close(false);
    });
  }
  /** The popup's own focusable elements, in order. */
  tabbables() {
    return (
      /** @type {HTMLElement[]} */
      [...this.el.querySelectorAll("a[href], button")]
    );
  }
  /** @param {GlossPayload} g */
  fill(g) {
    this.el.replaceChildren();
    const head = h("div", "ar-gloss-head");
    const term = h("h4", "ar-gloss-term", g.term);
    term.id = `${this.uid}-gloss-term`;
    const close = h("button", "ar-gloss-close", "×");
    close.setAttribute("aria-label", "Close gloss");
    close.addEventListener("click", () => this.close(true));
    head.append(term, close);
    this.el.append(head);
    if (g.original) {
      const original = h("p", "ar-gloss-original", g.original);
      original.lang = g.original_lang ?? "";
      this.el.append(original);
    }
    if (g.transliteration) {
      this.el.append(h("p", "ar-gloss-transliteration", g.transliteration));
    }
    const def = h("div", "ar-gloss-definition");
    def.innerHTML = g.definition_html;
    this.el.append(def);
    if (g.note_html) {
      const note = h("div", "ar-gloss-note");
      note.innerHTML = g.note_html;
      this.el.append(note);
    }
    if (g.as_of) this.el.append(h("p", "ar-gloss-asof", `As of ${g.as_of}.`));
    if (g.sources.length) {
      const list = h("ul", "ar-gloss-sources");
      list.setAttribute("aria-label", "Sources");
      for (const s of g.sources) {
        const url = safeUrl(s.url);
        if (!url) continue;
        const li = h("li");
        li.append(externalLink(url, s.title));
        list.append(li);
      }
      this.el.append(list);
    }
  }
  /**
   * @param {HTMLElement} term
   * @param {{pin?: boolean, focus?: boolean}} [how]
   */
  open(term, how = {}) {
    clearTimeout(this.timer);
    const g = this.glosses.get(term.dataset.gloss || "");
    if (!g) return;
    if (this.term && this.term !== term) this.term.setAttribute("aria-expanded", "false");
    if (this.term !== term || this.el.hidden) this.onOpen(g.key);
    this.term = term;
    this.pinned = this.pinned || Boolean(how.pin);
    this.fill(g);
    term.setAttribute("aria-expanded", "true");
    this.el.hidden = false;
    this.place(term);
    document.addEventListener("scroll", this.follow, true);
    if (how.focus) this.el.focus();
  }
  /**
   * Beside its term and wholly on screen: below it if it fits there, else above, else on the
   * side with more room, shortened to fit (it scrolls inside); shifted left or right to stay
   * within the visible part of the page, which in JupyterLab is the notebook's scrolling panel.
   * @param {HTMLElement} term
   */
  place(term) {
    const GAP = 6;
    const MARGIN = 4;
    const parent = (
      /** @type {HTMLElement} */
      this.el.offsetParent ?? this.root
    );
    const origin = parent.getBoundingClientRect();
    const at = term.getClientRects()[0] ?? term.getBoundingClientRect();
    const area = visibleArea(term);
    this.el.style.maxHeight = "";
    const natural = this.el.offsetHeight;
    const below = area.bottom - at.bottom - GAP - MARGIN;
    const above = at.top - area.top - GAP - MARGIN;
    const under = natural <= below || natural > above && below >= above;
    if (natural > (under ? below : above)) {
      this.el.style.maxHeight = `${Math.max(96, Math.floor(under ? below : above))}px`;
    }
    const height = this.el.offsetHeight;
    const top = under ? at.bottom + GAP : at.top - GAP - height;
    const width = this.el.offsetWidth;
    const right = Math.min(area.right, origin.right) - MARGIN - width;
    const left = Math.max(Math.max(area.left, origin.left) + MARGIN, Math.min(at.left, right));
    this.el.dataset.side = under ? "below" : "above";
    this.el.style.left = `${left - origin.left + parent.scrollLeft}px`;
    this.el.style.top = `${top - origin.top + parent.scrollTop}px`;
  }
  closeSoon() {
    if (this.pinned) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close(false), HOVER_CLOSE_MS);
  }
  /** @param {boolean} restoreFocus */
  close(restoreFocus) {
    clearTimeout(this.timer);
    if (this.el.hidden) return;
    const term = this.term;
    document.removeEventListener("scroll", this.follow, true);
    this.el.hidden = true;
    this.pinned = false;
    this.term = null;
    term?.setAttribute("aria-expanded", "false");
    if (restoreFocus) term?.focus();
  }
};
function wireGlosses(article, popup, glosses) {
  const groups = /* @__PURE__ */ new Map();
  for (const term of article.querySelectorAll(".ar-gloss")) {
    const el = (
      /** @type {HTMLElement} */
      term
    );
    const group = el.closest("[data-block]") ?? article;
    const terms = groups.get(group) ?? [];
    terms.push(el);
    groups.set(group, terms);
    const g = glosses.get(el.dataset.gloss || "");
    el.tabIndex = terms.length === 1 ? 0 : -1;
    el.setAttribute("role", "button");
    el.setAttribute("aria-expanded", "false");
    el.setAttribute("aria-controls", popup.el.id);
    el.setAttribute("aria-haspopup", "dialog");
    if (g) el.setAttribute("aria-description", `Gloss: ${g.term}`);
    el.addEventListener("mouseenter", (event) => {
      clearTimeout(popup.timer);
      if (popup.pinned || event.buttons) return;
      popup.timer = setTimeout(() => popup.open(el), HOVER_OPEN_MS);
    });
    el.addEventListener("mouseleave", () => popup.closeSoon());
    el.addEventListener("click", (event) => {
      event.preventDefault();
      if (popup.term === el && popup.pinned) popup.close(false);
      else popup.open(el, { pin: true });
    });
    el.addEventListener("focus", () => {
      for (const other of groups.get(group) ?? []) other.tabIndex = other === el ? 0 : -1;
      if (!popup.el.hidden && popup.term !== el) popup.close(false);
    });
    el.addEventListener("blur", (event) => {
      const to = (
        /** @type {Node | null} */
        event.relatedTarget
      );
      if (popup.term === el && to && !popup.el.contains(to)) popup.close(false);
    });
    el.addEventListener("keydown", (event) => {
      if (event.key === "Tab" && !event.shiftKey && popup.term === el && !popup.el.hidden) {
        event.preventDefault();
        (popup.tabbables()[0] ?? popup.el).focus();
        return;
      }
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();
        popup.open(el, { pin: true, focus: true });
        return;
      }
      if (article.isContentEditable || event.altKey || event.ctrlKey || event.metaKey) return;
      const row = groups.get(group) ?? [];
      const i = row.indexOf(el);
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: row.length - 1 }[event.key];
      if (to === void 0) return;
      event.preventDefault();
      row[Math.max(0, Math.min(row.length - 1, to))]?.focus();
    });
  }
}
function skipLink(terms, target) {
  const link = h("a", "ar-skip", `Skip the reading (${terms} glossed terms): go to the annotations`);
  const id = target.id || `${Math.random().toString(36).slice(2)}-skip-target`;
  target.id = id;
  link.href = `#${id}`;
  if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.tabIndex = -1;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start", behavior: scrollBehavior() });
  });
  return link;
}
function renderGlossary(lesson, article, popup, live, uid) {
  const toggle = h("button", "ar-glossary-toggle", `Glossary (${lesson.glossary.length})`);
  const panel = h("nav", "ar-glossary");
  panel.id = `${uid}-glossary`;
  panel.setAttribute("aria-label", "Glossary");
  panel.hidden = true;
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", panel.id);
  const label = h("label", "ar-glossary-filter");
  label.append(h("span", "", "Filter the glossary "));
  const filter = h("input");
  filter.type = "search";
  filter.autocomplete = "off";
  filter.spellcheck = false;
  label.append(filter);
  const status = h("p", "ar-glossary-status");
  status.setAttribute("role", "status");
  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) filter.focus();
  });
  const list = h("ul", "ar-glossary-list");
  const next = /* @__PURE__ */ new Map();
  const items = [];
  for (const g of lesson.glossary) {
    const item = h("li");
    const entry = h("button", "ar-glossary-entry", g.term);
    entry.dataset.gloss = g.key;
    entry.setAttribute(
      "aria-description",
      `${g.count} occurrence${g.count === 1 ? "" : "s"}: go to the next one`
    );
    entry.addEventListener("click", () => {
      const terms = (
        /** @type {NodeListOf<HTMLElement>} */
        article.querySelectorAll(`.ar-gloss[data-gloss="${CSS.escape(g.key)}"]`)
      );
      const i = (next.get(g.key) || 0) % Math.max(terms.length, 1);
      const term = terms[i];
      if (!term) return;
      next.set(g.key, i + 1);
      popup.close(false);
      term.scrollIntoView({ block: "center", behavior: scrollBehavior() });
      term.focus({ preventScroll: true });
      term.classList.add("ar-jumped");
      term.addEventListener("blur", () => term.classList.remove("ar-jumped"), { once: true });
      flashElement(term);
      announce(live, `${g.term}: occurrence ${i + 1} of ${terms.length}`);
    });
    item.append(entry, h("span", "ar-glossary-count", `×${g.count}`));
    list.append(item);
    const words = [g.term, g.original ?? "", g.transliteration ?? ""].join(" ");
    items.push([item, foldText(words)]);
  }
  const empty = h("p", "ar-glossary-empty", "No term matches.");
  empty.hidden = true;
  filter.addEventListener("input", () => {
    const wanted = foldText(filter.value.trim());
    let shown = 0;
    for (const [item, words] of items) {
      item.hidden = Boolean(wanted) && !words.includes(wanted);
      if (!item.hidden) shown++;
    }
    empty.hidden = shown > 0;
    status.textContent = wanted ? `${shown} of ${items.length} terms` : "";
  });
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && filter.value) {
      event.stopPropagation();
      filter.value = "";
      filter.dispatchEvent(new Event("input"));
    } else if (event.key === "Enter") {
      list.querySelector("li:not([hidden]) button")?.click();
    }
  });
  panel.append(label, status, list, empty);
  return { toggle, panel };
}

// reader_ext/widget/static/header.js
function renderHeader(lesson, uid) {
  const header = h("header", "ar-header");
  const title = h("h2", "ar-title", lesson.title);
  title.id = `${uid}-title`;
  header.append(title);
  const src = lesson.source;
  const parts = [src.author, src.title, src.venue, src.date].filter(Boolean);
  if (parts.length) {
    const line = h("p", "ar-source");
    line.append(h("span", "ar-label", "Source: "));
    const url = src.url && safeUrl(src.url);
    line.append(url ? externalLink(url, parts.join(", ")) : document.createTextNode(parts.join(", ")));
    header.append(line);
    if (src.certainty) {
      const more = h("details", "ar-source-certainty");
      more.append(h("summary", "", "How certain is this attribution?"), h("p", "", src.certainty));
      header.append(more);
    }
  }
  const meta = [lesson.level, lesson.minutes ? `about ${lesson.minutes} minutes` : ""];
  header.append(h("p", "ar-meta", meta.filter(Boolean).join(" · ")));
  if (lesson.objectives.length) {
    const box = h("details", "ar-objectives");
    box.append(h("summary", "", "Learning objectives"));
    const list = h("ul");
    for (const o of lesson.objectives) list.append(h("li", "", o));
    box.append(list);
    header.append(box);
  }
  return header;
}
var KEYS = [
  ["Tab", "moves paragraph by paragraph through the reading: one stop for each paragraph’s glossed terms"],
  ["← →", "the previous or next glossed term in the paragraph (Home, End: its first, its last)"],
  ["Enter or Space", "on a glossed term: open its gloss. Escape closes it; Tab from it goes on after the term"],
  ["Ctrl+F (⌘F)", "with the focus in the reader: search the reading. Enter: next match, Shift+Enter: previous, Escape: clear"],
  ["Skip link", "the first Tab stop before the reading skips its glossed terms and goes to the annotations"],
  ["Select text with keyboard", "lets the arrow keys move a caret in the reading, Shift+arrows select, Enter annotates"]
];
function keyboardHelp() {
  const box = h("details", "ar-keys");
  box.append(h("summary", "", "Keyboard help"));
  const list = h("dl", "ar-keys-list");
  for (const [key = "", what = ""] of KEYS) list.append(h("dt", "", key), h("dd", "", what));
  box.append(list);
  return box;
}

// reader_ext/widget/static/reader.js
var instances = 0;
function notice(model) {
  const el = h("p", "ar-notice");
  el.setAttribute("role", "status");
  const show = () => {
    el.textContent = model.get("notice") || "";
    el.hidden = !el.textContent;
  };
  show();
  model.on("change:notice", show);
  return { el, stop: () => model.off("change:notice", show) };
}
function render({ model, el }) {
  const opening = h("p", "ar-opening", "Opening the reader…");
  opening.setAttribute("role", "status");
  el.replaceChildren(opening);
  const slow = setTimeout(() => {
    opening.textContent = "Opening the reader… If nothing appears, run this cell again.";
  }, 5e3);
  let stop = () => {
  };
  const channel = new Channel(model, (msg) => {
    if (msg.type !== "snapshot" || !msg.lesson) return;
    clearTimeout(slow);
    stop = build(model, el, msg.lesson, channel);
    channel.onMessage(msg);
  });
  const disconnect = channel.connect();
  channel.send({ type: "hello" });
  return () => {
    clearTimeout(slow);
    disconnect();
    stop();
  };
}
function build(model, el, lesson, channel) {
  const uid = `ar${++instances}-${Math.random().toString(36).slice(2, 8)}`;
  const root = h("section", "ar-reader");
  root.setAttribute("role", "region");
  root.setAttribute("aria-label", `Annotated reader: ${lesson.title}`);
  const glosses = new Map(lesson.glossary.map((g) => [g.key, g]));
  const popup = new GlossPopup(root, glosses, uid);
  const live = h("div", "ar-live");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");
  const article = h("article", "ar-article");
  article.id = `${uid}-article`;
  article.setAttribute("aria-label", "The reading");
  article.innerHTML = lesson.html;
  for (const block of article.querySelectorAll("[data-block]")) block.classList.add("ar-block");
  wireGlosses(article, popup, glosses);
  placePrompts(lesson, article);
  const notes = new Annotations({ model, lesson, root, article, live, uid, channel });
  popup.onOpen = (key) => notes.channel.send({ type: "gloss-open", key });
  const { toggle, panel } = renderGlossary(lesson, article, popup, live, uid);
  const toolbar = h("div", "ar-toolbar");
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Reader tools");
  toolbar.append(toggle, caretToggle(article, (text) => announce(live, text)));
  const search = new Search({ article, uid });
  const find2 = h("div", "ar-find");
  find2.append(search.slot, keyboardHelp());
  root.append(renderHeader(lesson, uid), toolbar, find2);
  if (notes.instructor) {
    toolbar.append(notes.heat.button);
    root.append(notes.heat.legend);
    root.classList.add("ar-instructor");
  }
  root.append(panel);
  const note = notice(model);
  root.append(note.el, notes.connection);
  if (lesson.intro_html) {
    const intro = h("section", "ar-intro");
    intro.setAttribute("aria-label", "Introduction");
    intro.innerHTML = lesson.intro_html;
    root.append(intro);
  }
  const main = h("div", "ar-main");
  const terms = article.querySelectorAll(".ar-gloss").length;
  const sideTitle = (
    /** @type {HTMLElement} */
    notes.side.el.querySelector(".ar-side-title")
  );
  main.append(skipLink(terms, sideTitle), article);
  if (notes.comments) main.append(notes.comments.el);
  const body = h("div", "ar-body");
  body.append(main, notes.side.el);
  notes.place(body, main);
  toolbar.append(notes.layout.toggle);
  root.append(body, popup.el, live);
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !popup.el.hidden) {
      event.preventDefault();
      popup.close(true);
    }
    if (!event.ctrlKey && !event.metaKey) event.stopPropagation();
  });
  const outside = (event) => {
    const target = (
      /** @type {Node} */
      event.target
    );
    if (!popup.el.hidden && !popup.el.contains(target) && !popup.term?.contains(target)) {
      popup.close(false);
    }
  };
  const escape = (event) => {
    if (event.key === "Escape" && !popup.el.hidden) popup.close(false);
  };
  const stopSearch = search.shortcut(root);
  const toolbars = [rovingToolbar(toolbar), rovingToolbar(notes.selection.el)];
  document.addEventListener("pointerdown", outside);
  document.addEventListener("keydown", escape);
  el.replaceChildren(root);
  return () => {
    for (const stop of toolbars) stop();
    document.removeEventListener("pointerdown", outside);
    document.removeEventListener("keydown", escape);
    stopSearch();
    note.stop();
    notes.selection.stop();
    notes.layout.stop();
  };
}
var reader_default = { render };
export {
  reader_default as default
};
