// Glosses: the popup that shows one, the controls on glossed terms (one Tab stop per paragraph,
// arrow keys among its terms), the glossary panel with its filter, and the skip link past them.

/** @import { GlossPayload, LessonPayload } from "./protocol" */
import { scrollBehavior } from "./a11y.js";
import { announce, externalLink, flashElement, h, safeUrl } from "./dom.js";
import { tabbableAfter, visibleArea } from "./onscreen.js";
import { foldText } from "./search.js";

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
    // While open, it follows its term when what holds the reading scrolls (once a frame).
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
    // The popup is a non-modal dialog placed last in the widget (to escape the text's clipping),
    // so the keyboard order is made to follow its term: Tab past its end goes on to what comes
    // after the term, Shift+Tab before its start goes back to the term (WCAG 2.4.3).
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
      } else if (!event.shiftKey && (active === last || (active === this.el && !inside.length))) {
        const next = tabbableAfter(this.root, term, this.el);
        if (!next) return;
        event.preventDefault();
        this.close(false);
        next.focus();
      }
    });
    // Focus leaving the popup (anywhere but its term) closes it: an open popup never hides
    // the element that has the focus (WCAG 2.4.11).
    this.el.addEventListener("focusout", (event) => {
      const to = /** @type {Node | null} */ (event.relatedTarget);
      if (to && !this.el.contains(to) && to !== this.term) this.close(false);
    });
  }

  /** The popup's own focusable elements, in order. */
  tabbables() {
    return /** @type {HTMLElement[]} */ ([...this.el.querySelectorAll("a[href], button")]);
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
      // The entry's language (original_lang); "" says "unknown" rather than guess (WCAG 3.1.2).
      original.lang = g.original_lang ?? "";
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
    const parent = /** @type {HTMLElement} */ (this.el.offsetParent ?? this.root);
    const origin = parent.getBoundingClientRect();
    const at = term.getClientRects()[0] ?? term.getBoundingClientRect();
    const area = visibleArea(term);
    this.el.style.maxHeight = "";
    const natural = this.el.offsetHeight;
    const below = area.bottom - at.bottom - GAP - MARGIN;
    const above = at.top - area.top - GAP - MARGIN;
    const under = natural <= below || (natural > above && below >= above);
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
}

/**
 * Turn the glossed spans Python rendered into accessible controls, with one Tab stop per
 * paragraph (a roving tabindex): ← and → move among the paragraph's terms, Home and End go to
 * its first and last, so a reading with a hundred glossed terms costs a Tab per paragraph.
 * @param {HTMLElement} article
 * @param {GlossPopup} popup
 * @param {Map<string, GlossPayload>} glosses
 */
export function wireGlosses(article, popup, glosses) {
  /** @type {Map<Element, HTMLElement[]>} */
  const groups = new Map();
  for (const term of article.querySelectorAll(".ar-gloss")) {
    const el = /** @type {HTMLElement} */ (term);
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
    // However a term gets the focus (arrows, a click, the glossary, search), it becomes its
    // paragraph's Tab stop; and a popup of another term never stays over it.
    el.addEventListener("focus", () => {
      for (const other of groups.get(group) ?? []) other.tabIndex = other === el ? 0 : -1;
      if (!popup.el.hidden && popup.term !== el) popup.close(false);
    });
    // Tabbing on from a term whose popup is open (opened by a click) closes it.
    el.addEventListener("blur", (event) => {
      const to = /** @type {Node | null} */ (event.relatedTarget);
      if (popup.term === el && to && !popup.el.contains(to)) popup.close(false);
    });
    el.addEventListener("keydown", (event) => {
      // The open popup's content comes right after its term in the keyboard order, as a
      // disclosure's does: Tab goes into it (and from its end on past the term).
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
      // In keyboard-selection mode the arrows move the caret, as they should.
      if (article.isContentEditable || event.altKey || event.ctrlKey || event.metaKey) return;
      const row = groups.get(group) ?? [];
      const i = row.indexOf(el);
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: row.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      row[Math.max(0, Math.min(row.length - 1, to))]?.focus();
    });
  }
}

/**
 * A link, shown when focused, that skips the reading's glossed terms and prompts and goes to
 * the annotations (WCAG 2.4.1).
 * @param {number} terms how many glossed terms it skips
 * @param {HTMLElement} target where it goes (made focusable)
 */
export function skipLink(terms, target) {
  const link = h("a", "ar-skip", `Skip the reading (${terms} glossed terms): go to the annotations`);
  const id = target.id || `${Math.random().toString(36).slice(2)}-skip-target`;
  target.id = id;
  link.href = `#${id}`;
  if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) target.tabIndex = -1;
  link.addEventListener("click", (event) => {
    event.preventDefault(); // never JupyterLab's URL
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start", behavior: scrollBehavior() });
  });
  return link;
}


/**
 * The glossary panel: every entry in the order Python sorted them (by term, ignoring leading
 * quotation marks), a filter box, and a jump to each occurrence in turn.
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
  /** @type {Map<string, number>} */
  const next = new Map();
  /** @type {[HTMLElement, string][]} */
  const items = [];
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
      term.scrollIntoView({ block: "center", behavior: scrollBehavior() });
      term.focus({ preventScroll: true });
      // A mouse user gets no focus ring from a scripted focus: mark the term until it is left.
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
      event.stopPropagation(); // clears the filter; a second Escape is the reader's
      filter.value = "";
      filter.dispatchEvent(new Event("input"));
    } else if (event.key === "Enter") {
      /** @type {HTMLElement | null} */ (list.querySelector("li:not([hidden]) button"))?.click();
    }
  });
  panel.append(label, status, list, empty);
  return { toggle, panel };
}
