// Glosses: the popup that shows one, the controls on glossed terms, the glossary panel.

/** @import { GlossPayload, LessonPayload } from "./protocol" */
import { externalLink, h, safeUrl } from "./dom.js";

const HOVER_OPEN_MS = 200;
const HOVER_CLOSE_MS = 300;

export class GlossPopup {
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
    /** @type {HTMLElement | null} */
    this.term = null;
    this.pinned = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.uid = uid;
    /** @type {(key: string) => void} */
    this.onOpen = () => {};
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
}

/**
 * Turn the glossed spans Python rendered into accessible controls.
 * @param {HTMLElement} article
 * @param {GlossPopup} popup
 * @param {Map<string, GlossPayload>} glosses
 */
export function wireGlosses(article, popup, glosses) {
  for (const term of article.querySelectorAll(".ar-gloss")) {
    const el = /** @type {HTMLElement} */ (term);
    const g = glosses.get(el.dataset.gloss || "");
    el.tabIndex = 0;
    el.setAttribute("role", "button");
    el.setAttribute("aria-expanded", "false");
    el.setAttribute("aria-controls", popup.el.id);
    el.setAttribute("aria-haspopup", "dialog");
    if (g) el.setAttribute("aria-description", `Gloss: ${g.term}`);
    el.addEventListener("mouseenter", (event) => {
      clearTimeout(popup.timer);
      // A held button is a drag selecting text: a popup opened under it would take the drag.
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

/**
 * @param {LessonPayload} lesson
 * @param {HTMLElement} article
 * @param {GlossPopup} popup
 * @param {HTMLElement} live
 * @param {string} uid
 */
export function renderGlossary(lesson, article, popup, live, uid) {
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
      const terms = /** @type {NodeListOf<HTMLElement>} */ (
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

