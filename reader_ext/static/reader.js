// Annotated Reader: the browser side of reader_ext.Reader (anywidget ES module, no build step).
//
// Python renders and sanitises every piece of HTML this module inserts (the lesson's
// `*_html` fields); everything else — titles, terms, names, URLs — is set as text or as
// attributes, never parsed as HTML.

/**
 * @typedef {{title: string, url: string}} Link
 * @typedef {{key: string, term: string, definition_html: string, note_html: string | null,
 *   original: string | null, transliteration: string | null, as_of: string | null,
 *   sources: Link[], count: number}} Gloss
 * @typedef {{id: string, start: number, end: number}} Block
 * @typedef {{id: string, quote: string, question_html: string, bloom: string, kind: string,
 *   start: number, end: number, block: string}} Prompt
 * @typedef {{id: string, author: string, html: string}} Comment
 * @typedef {{title: string|null, author: string|null, venue: string|null, date: string|null,
 *   url: string|null, certainty: string|null}} Source
 * @typedef {{uri: string, id: string, title: string, summary: string, level: string,
 *   minutes: number, objectives: string[], source: Source, intro_html: string|null,
 *   html: string, text_hash: string, blocks: Block[], glossary: Gloss[], prompts: Prompt[],
 *   comments: Comment[]}} Lesson
 */

const HOVER_OPEN_MS = 200;
const HOVER_CLOSE_MS = 300;
let instances = 0;

/**
 * Create an element with a class and optional text.
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Only http(s) and mailto links leave Python; check again so a bad URL is never a link here.
 * @param {string} url
 */
function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

/**
 * The text nodes of `root` in document order, with their lengths in code points.
 * Offsets from Python count code points; DOM offsets count UTF-16 units.
 * @param {Node} root
 */
function textNodes(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  /** @type {Text[]} */
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(/** @type {Text} */ (n));
  return nodes;
}

/**
 * UTF-16 index in `s` of the code point at index `cp`.
 * @param {string} s
 * @param {number} cp
 */
function utf16Index(s, cp) {
  let i = 0;
  for (let k = 0; k < cp && i < s.length; k++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
  }
  return i;
}

/**
 * Wrap the code-point range [start, end) of `block`'s text in elements made by `make`,
 * one per text node touched (a range may cross gloss spans).
 * @param {Element} block
 * @param {number} start
 * @param {number} end
 * @param {() => HTMLElement} make
 * @returns {HTMLElement[]}
 */
export function wrapRange(block, start, end, make) {
  /** @type {HTMLElement[]} */
  const made = [];
  let pos = 0;
  for (const node of textNodes(block)) {
    const len = [...node.data].length;
    const from = Math.max(start, pos);
    const to = Math.min(end, pos + len);
    if (from < to) {
      let target = node;
      const a = utf16Index(node.data, from - pos);
      if (a > 0) target = target.splitText(a);
      const b = utf16Index(node.data, to - pos) - a;
      if (b < target.data.length) target.splitText(b);
      const wrapper = make();
      target.parentNode?.insertBefore(wrapper, target);
      wrapper.appendChild(target);
      made.push(wrapper);
    }
    pos += len;
    if (pos >= end) break;
  }
  return made;
}

/**
 * @param {Lesson} lesson
 * @param {string} uid
 */
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
    if (url) {
      const link = /** @type {HTMLAnchorElement} */ (h("a", "", parts.join(", ")));
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      line.append(link);
    } else {
      line.append(document.createTextNode(parts.join(", ")));
    }
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

/**
 * @param {Prompt} prompt
 * @param {number} index
 */
function renderPrompt(prompt, index) {
  const box = h("aside", "ar-prompt");
  box.dataset.prompt = prompt.id;
  box.setAttribute("aria-label", `Discussion prompt ${index + 1}`);
  const label = h("p", "ar-prompt-label");
  label.append(h("span", "ar-prompt-badge", `Prompt ${index + 1}`));
  label.append(h("span", "ar-prompt-level", `${prompt.kind} · ${prompt.bloom}`));
  const quote = h("blockquote", "ar-prompt-quote", `“${prompt.quote}”`);
  const question = h("div", "ar-prompt-question");
  question.innerHTML = prompt.question_html; // sanitised in Python (reader_ext.markup)
  box.append(label, quote, question);
  return box;
}

/**
 * @param {Comment[]} comments
 * @param {string} uid
 */
function renderComments(comments, uid) {
  const section = h("section", "ar-comments");
  const heading = h("h3", "ar-comments-title", `Reader comments (${comments.length})`);
  heading.id = `${uid}-comments`;
  section.setAttribute("aria-labelledby", heading.id);
  section.append(
    heading,
    h("p", "ar-comments-note", "Published with the article: readers’ words, not the author’s."),
  );
  const list = h("ol", "ar-comment-list");
  for (const c of comments) {
    const item = h("li", "ar-comment");
    item.dataset.comment = c.id;
    const body = h("blockquote", "ar-comment-body");
    body.innerHTML = c.html; // escaped verbatim text, from Python
    item.append(h("p", "ar-comment-author", c.author), body);
    list.append(item);
  }
  section.append(list);
  return section;
}

class GlossPopup {
  /**
   * @param {HTMLElement} root
   * @param {Map<string, Gloss>} glosses
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
    /** @type {HTMLElement | null} */
    this.term = null;
    this.pinned = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.uid = uid;
    this.el.addEventListener("mouseenter", () => clearTimeout(this.timer));
    this.el.addEventListener("mouseleave", () => this.closeSoon());
  }

  /** @param {Gloss} g */
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
    def.innerHTML = g.definition_html; // sanitised in Python
    this.el.append(def);
    if (g.note_html) {
      const note = h("div", "ar-gloss-note");
      note.innerHTML = g.note_html; // sanitised in Python
      this.el.append(note);
    }
    if (g.as_of) this.el.append(h("p", "ar-gloss-asof", `As of ${g.as_of}.`));
    if (g.sources.length) {
      const list = h("ul", "ar-gloss-sources");
      list.setAttribute("aria-label", "Sources");
      for (const s of g.sources) {
        const url = safeUrl(s.url);
        if (!url) continue;
        const a = /** @type {HTMLAnchorElement} */ (h("a", "", s.title));
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        const li = h("li");
        li.append(a);
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
}

/**
 * Turn the glossed spans Python rendered into accessible controls.
 * @param {HTMLElement} article
 * @param {GlossPopup} popup
 * @param {Map<string, Gloss>} glosses
 */
function wireGlosses(article, popup, glosses) {
  for (const term of article.querySelectorAll(".ar-gloss")) {
    const el = /** @type {HTMLElement} */ (term);
    const g = glosses.get(el.dataset.gloss || "");
    el.tabIndex = 0;
    el.setAttribute("role", "button");
    el.setAttribute("aria-expanded", "false");
    el.setAttribute("aria-controls", popup.el.id);
    el.setAttribute("aria-haspopup", "dialog");
    if (g) el.setAttribute("aria-description", `Gloss: ${g.term}`);
    el.addEventListener("mouseenter", () => {
      clearTimeout(popup.timer);
      if (popup.pinned) return;
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

/**
 * @param {Lesson} lesson
 * @param {HTMLElement} article
 * @param {GlossPopup} popup
 * @param {HTMLElement} live
 * @param {string} uid
 */
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
  /** @type {Map<string, number>} */
  const next = new Map();
  for (const g of lesson.glossary) {
    const item = h("li");
    const entry = h("button", "ar-glossary-entry", g.term);
    entry.dataset.gloss = g.key;
    entry.setAttribute(
      "aria-description",
      `${g.count} occurrence${g.count === 1 ? "" : "s"}: go to the next one`,
    );
    entry.addEventListener("click", () => {
      const terms = /** @type {HTMLElement[]} */ ([
        ...article.querySelectorAll(`.ar-gloss[data-gloss="${CSS.escape(g.key)}"]`),
      ]);
      if (!terms.length) return;
      const i = (next.get(g.key) || 0) % terms.length;
      next.set(g.key, i + 1);
      popup.close(false);
      terms[i].scrollIntoView({ block: "center", behavior: "smooth" });
      terms[i].focus({ preventScroll: true });
      live.textContent = `${g.term}: occurrence ${i + 1} of ${terms.length}`;
    });
    item.append(entry, h("span", "ar-glossary-count", `×${g.count}`));
    list.append(item);
  }
  panel.append(list);
  return { toggle, panel };
}

/**
 * Place each prompt after its block and mark its quote in the text.
 * @param {Lesson} lesson
 * @param {HTMLElement} article
 */
function placePrompts(lesson, article) {
  const starts = new Map(lesson.blocks.map((b) => [b.id, b.start]));
  lesson.prompts.forEach((prompt, index) => {
    const block = article.querySelector(`[data-block="${CSS.escape(prompt.block)}"]`);
    const blockStart = starts.get(prompt.block);
    if (!block || blockStart === undefined) return;
    const card = renderPrompt(prompt, index);
    card.id = `${article.id}-prompt-${prompt.id}`;
    wrapRange(block, prompt.start - blockStart, prompt.end - blockStart, () => {
      const mark = h("mark", "ar-prompt-anchor");
      mark.dataset.prompt = prompt.id;
      mark.setAttribute("aria-describedby", card.id);
      return mark;
    });
    // After the block itself, or after the list item / quote that holds it.
    const holder = block.closest("li, blockquote") || block;
    holder.after(card);
  });
}

/** @param {{model: any, el: HTMLElement}} ctx */
function render({ model, el }) {
  const uid = `ar${++instances}-${Math.random().toString(36).slice(2, 8)}`;
  /** @type {Lesson} */
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
  article.innerHTML = lesson.html; // sanitised in Python (reader_ext.markup.sanitize)
  wireGlosses(article, popup, glosses);
  placePrompts(lesson, article);

  const { toggle, panel } = renderGlossary(lesson, article, popup, live, uid);
  const toolbar = h("div", "ar-toolbar");
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Reader tools");
  toolbar.append(toggle);

  root.append(renderHeader(lesson, uid), toolbar, panel);
  if (lesson.intro_html) {
    const intro = h("section", "ar-intro");
    intro.setAttribute("aria-label", "Introduction");
    intro.innerHTML = lesson.intro_html; // sanitised in Python
    root.append(intro);
  }
  root.append(article);
  if (lesson.comments.length) root.append(renderComments(lesson.comments, uid));
  root.append(popup.el, live);

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !popup.el.hidden) {
      event.preventDefault();
      event.stopPropagation();
      popup.close(true);
    }
  });
  const outside = (/** @type {Event} */ event) => {
    const target = /** @type {Node} */ (event.target);
    if (!popup.el.hidden && !popup.el.contains(target) && !popup.term?.contains(target)) {
      popup.close(false);
    }
  };
  document.addEventListener("pointerdown", outside);
  el.replaceChildren(root);
  return () => document.removeEventListener("pointerdown", outside);
}

export default { render };
