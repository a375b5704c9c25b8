// Built by scripts/bundle.mjs from reader_ext/widget/static/*.js: do not edit.

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
}
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
    this.toast.setAttribute("role", "status");
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
      show.addEventListener("click", () => this.show.flash(a.id));
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
    const undo = h("button", "ar-undo", "Undo");
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
    this.toast.replaceChildren(h("span", "", `${KIND_LABEL[a.kind] || "Annotation"} deleted.`));
    this.toast.append(undo, dismiss);
    this.placeToast();
    undo.focus({ preventScroll: true });
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
  for (const [i, point] of points.entries()) {
    depth += delta.get(point) ?? 0;
    const next = points[i + 1];
    if (depth <= 0 || next === void 0) continue;
    const last = runs.at(-1);
    if (last && last.end === point && last.students === depth) last.end = next;
    else runs.push({ start: point, end: next, students: depth });
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
   * @param {() => {views: AnnotationView[], students: number}} current the annotations the
   *   filters let through, and the number of students in the class
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
    const { views, students: students2 } = this.current();
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
    this.fillLegend(students2);
    const most = Math.max(0, ...runs.map((r) => r.students));
    this.announce(
      `Heat map on: ${most ? `up to ${most} of ${studentsLabel(students2)} on one passage` : "no annotations"}.`
    );
  }
  /** @param {number} students */
  fillLegend(students2) {
    const caption = h("figcaption", "ar-heat-legend-title", "Heat map: students per passage");
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

// reader_ext/widget/static/highlights.js
var marksOf = (id) => `mark.ar-hl[data-anno="${CSS.escape(id)}"]`;
var Highlights = class {
  /**
   * @param {HTMLElement} article
   * @param {readonly BlockPayload[]} blocks
   * @param {(id: string) => void} onClick a highlight was clicked (not a gloss inside it)
   */
  constructor(article, blocks, onClick) {
    this.article = article;
    this.blocks = blocks;
    article.addEventListener("click", (event) => {
      const target = (
        /** @type {Element} */
        event.target
      );
      const mark = (
        /** @type {HTMLElement | null} */
        target.closest?.("mark.ar-hl")
      );
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
    if (marks[0]) scrollIntoPane(marks[0]);
    for (const m of marks) flashElement(m);
    return marks.length;
  }
};

// reader_ext/widget/static/layout.js
var WIDE_PX = 680;
var LINE_PX = 18;
var PANE_MIN_PX = 320;
var marksOf2 = (id) => `mark.ar-hl[data-anno="${CSS.escape(id)}"]`;
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
   *   side: SideList, uid: string}} parts
   */
  constructor({ root, body, main, article, side, uid }) {
    this.root = root;
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
    for (const mark of this.article.querySelectorAll("mark.ar-hl[data-anno]")) {
      const id = (
        /** @type {HTMLElement} */
        mark.dataset.anno || ""
      );
      if (!tops.has(id)) tops.set(id, mark.getBoundingClientRect().top - pane.top + this.main.scrollTop);
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
    const mark = this.article.querySelector(marksOf2(id));
    if (!card) return;
    if (this.mode === "wide" && mark) {
      const level2 = mark.getBoundingClientRect().top - this.main.getBoundingClientRect().top;
      scrollIntoPane(card, Math.max(8, level2));
    }
  }
  /**
   * The list follows the reading: the first card whose passage is in view is put level with
   * it. Not while the reader works in the list (the focus is there), nor in the narrow layout.
   */
  follow() {
    if (this.mode !== "wide" || this.side.el.contains(document.activeElement)) return;
    const top = this.main.getBoundingClientRect().top;
    for (const card of this.side.el.querySelectorAll(".ar-list > .ar-card")) {
      const mark = this.article.querySelector(marksOf2(
        /** @type {HTMLElement} */
        card.dataset.anno || ""
      ));
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
   * A message from the kernel (anywidget's `msg:custom`).
   * @param {unknown} msg
   */
  receive(msg) {
    if (!msg || typeof msg !== "object" || !("type" in msg)) return;
    const message = (
      /** @type {KernelMessage} */
      msg
    );
    if (this.state === "lost" || this.probeTimer !== void 0) this.found();
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
    const listener = (msg) => this.receive(msg);
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
   *   announce: (text: string) => void}} where
   */
  constructor(where) {
    this.lesson = where.lesson;
    this.article = where.article;
    this.channel = where.channel;
    this.where = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    this.all = [];
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
      const status = h("p", "ar-answer-status", mine ? "✓ Answered" : "Not answered yet");
      if (mine) {
        const shown = h("div", "ar-answer-text");
        shown.innerHTML = mine.body_html;
        const edit = h("button", "ar-answer-edit", "Edit answer");
        edit.addEventListener("click", () => this.answerForm(box, prompt, mine));
        box.append(status, shown, edit);
      } else {
        const open = h("button", "ar-answer-open", "Answer this prompt");
        open.addEventListener("click", () => this.answerForm(box, prompt, null));
        box.append(status, open);
      }
    }
    return answered;
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
    const point = selection?.isCollapsed ? rects[0] : null;
    const box = point ?? range.getBoundingClientRect();
    const paneBox = pane.getBoundingClientRect();
    caret.hidden = !point;
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
   * @param {{lesson: LessonPayload, uid: string, instructor: boolean}} where
   * @param {Cards} cards
   * @param {() => void} onFilter the filters changed: refresh what depends on them
   */
  constructor(where, cards, onFilter) {
    this.lesson = where.lesson;
    this.instructor = where.instructor;
    this.cards = cards;
    this.filter = { who: "all", tag: "", prompt: "", student: "" };
    this.shown = PAGE;
    this.all = [];
    this.onFilter = onFilter;
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
        this.onFilter();
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
      ...this.lesson.prompts.map((p, i) => [p.id, `Prompt ${i + 1}`])
    ]);
    if (this.instructor) filter("student", "Student", [["", "All students"]]);
    const progress = h("p", "ar-progress");
    const newNote = h("div", "ar-new-note");
    const lessonTitle = h("h4", "ar-lesson-notes-title", "Notes on the whole lesson");
    const lessonNotes = h("ol", "ar-lesson-notes");
    lessonNotes.setAttribute("aria-label", "Notes on the whole lesson");
    const list = h("ol", "ar-list");
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
    side.append(title, progress, filters, newNote, lessonTitle, lessonNotes, list, more, empty);
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
    const placed = top.filter((a) => a.kind !== "lesson-note" && a.anchor !== "orphan").filter((a) => this.passes(a));
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
    find(this.el, ".ar-side-title").textContent = `Annotations (${top.length}${mine !== top.length ? `, ${mine} mine` : ""})`;
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
   * Show an annotation's card, even when it is past the page shown.
   * @param {string} id
   */
  focusCard(id) {
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
   *   article: HTMLElement, live: HTMLElement, uid: string}} opts
   */
  constructor({ model, lesson, root, article, live, uid }) {
    this.lesson = lesson;
    this.root = root;
    this.items = /* @__PURE__ */ new Map();
    this.instructor = model.get("mode") === "instructor";
    this.announce = (text) => announce(live, text);
    this.channel = new Channel(model, (msg) => this.receive(msg));
    this.article = article;
    this.connection = h("p", "ar-connection");
    this.connection.setAttribute("role", "alert");
    this.connection.hidden = true;
    this.channel.onState = (state, why) => {
      this.connection.hidden = state !== "lost";
      this.connection.textContent = state === "lost" ? why.replace("Not saved — ", "Nothing can be saved now: ") : "";
    };
    const where = { lesson, root, article, live, uid, blocks: lesson.blocks };
    const shared = { ...where, channel: this.channel, announce: this.announce };
    this.highlights = new Highlights(article, lesson.blocks, (id) => this.layout.showCard(id));
    this.cards = new Cards(shared, {
      flash: (id) => this.highlights.flash(id),
      focusCard: (id) => this.layout.showCard(id),
      focusList: () => this.focusText()
    });
    this.side = new SideList(
      { ...where, instructor: this.instructor },
      this.cards,
      () => this.refresh()
    );
    this.prompts = new PromptAnswers(shared);
    this.comments = lesson.comments.length ? new Comments(shared, this.cards) : null;
    this.heat = new HeatLayer(shared, () => {
      const all = [...this.items.values()];
      return { views: all.filter((a) => this.side.passes(a)), students: students(all).length };
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
      uid: this.editorWhere.uid
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
    const blocks = this.lesson.blocks;
    const pending = paintRange(this.article, blocks, start, end, () => h("mark", "ar-pending"));
    const pop = h("div", "ar-note-pop");
    const form = editor(this.editorWhere, {
      draftKey: `note:${start}-${end}`,
      quote: sel.text,
      withTags: true,
      label: "New note",
      save: (body, tags) => this.channel.request({ type: "create", kind: "note", start, end, body, tags }),
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
    this.el.addEventListener("mouseenter", () => clearTimeout(this.timer));
    this.el.addEventListener("mouseleave", () => this.closeSoon());
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
      original.lang = "sa";
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
    if (how.focus) this.el.focus();
  }
  /** @param {HTMLElement} term */
  place(term) {
    const box = this.root.getBoundingClientRect();
    const at = term.getBoundingClientRect();
    const width = this.el.offsetWidth;
    const left = Math.max(4, Math.min(at.left - box.left, box.width - width - 4));
    this.el.style.left = `${left}px`;
    this.el.style.top = `${at.bottom - box.top + 6}px`;
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
    this.el.hidden = true;
    this.pinned = false;
    this.term = null;
    term?.setAttribute("aria-expanded", "false");
    if (restoreFocus) term?.focus();
  }
};
function wireGlosses(article, popup, glosses) {
  for (const term of article.querySelectorAll(".ar-gloss")) {
    const el = (
      /** @type {HTMLElement} */
      term
    );
    const g = glosses.get(el.dataset.gloss || "");
    el.tabIndex = 0;
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
    el.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();
        popup.open(el, { pin: true, focus: true });
      }
    });
  }
}
function renderGlossary(lesson, article, popup, live, uid) {
  const toggle = h("button", "ar-glossary-toggle", `Glossary (${lesson.glossary.length})`);
  const panel = h("nav", "ar-glossary");
  panel.id = `${uid}-glossary`;
  panel.setAttribute("aria-label", "Glossary");
  panel.hidden = true;
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", panel.id);
  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
  });
  const list = h("ul", "ar-glossary-list");
  const next = /* @__PURE__ */ new Map();
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
      term.scrollIntoView({ block: "center", behavior: "smooth" });
      term.focus({ preventScroll: true });
      live.textContent = `${g.term}: occurrence ${i + 1} of ${terms.length}`;
    });
    item.append(entry, h("span", "ar-glossary-count", `×${g.count}`));
    list.append(item);
  }
  panel.append(list);
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
  const uid = `ar${++instances}-${Math.random().toString(36).slice(2, 8)}`;
  const lesson = model.get("lesson");
  const root = h("div", "ar-reader");
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
  const notes = new Annotations({ model, lesson, root, article, live, uid });
  popup.onOpen = (key) => notes.channel.send({ type: "gloss-open", key });
  const { toggle, panel } = renderGlossary(lesson, article, popup, live, uid);
  const toolbar = h("div", "ar-toolbar");
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Reader tools");
  toolbar.append(toggle, caretToggle(article, (text) => announce(live, text)));
  root.append(renderHeader(lesson, uid), toolbar);
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
  main.append(article);
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
  const disconnect = notes.channel.connect();
  document.addEventListener("pointerdown", outside);
  document.addEventListener("keydown", escape);
  el.replaceChildren(root);
  notes.channel.send({ type: "hello" });
  return () => {
    document.removeEventListener("pointerdown", outside);
    document.removeEventListener("keydown", escape);
    disconnect();
    note.stop();
    notes.selection.stop();
    notes.layout.stop();
  };
}
var reader_default = { render };
export {
  reader_default as default
};
