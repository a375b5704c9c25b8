// Selecting text to annotate: the selection as document offsets, the bar of actions that appears
// beside it, and keyboard selection (the reading made caret-browsable, never editable).

/** @import { BlockPayload } from "./protocol" */
import { h } from "./dom.js";
import { codePointLength } from "./positions.js";

/** @typedef {{start: number, end: number, text: string}} Selected */

/**
 * Code-point offset of the DOM point (node, offset) from the start of `block`'s text.
 * @param {Element} block
 * @param {Node} node
 * @param {number} offset
 */
function pointOffset(block, node, offset) {
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEnd(node, offset);
  return codePointLength(range.toString());
}

/** @param {Node} node */
function blockOf(node) {
  const el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
  return /** @type {HTMLElement | null | undefined} */ (el?.closest("[data-block]"));
}

/**
 * The current selection inside `article` as document offsets, or null.
 * @param {HTMLElement} article
 * @param {Map<string, number>} blockStarts
 * @returns {Selected | null}
 */
export function selectionOffsets(article, blockStarts) {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!article.contains(range.commonAncestorContainer)) return null;
  const first = blockOf(range.startContainer);
  const last = blockOf(range.endContainer);
  if (!first || !last || !article.contains(first) || !article.contains(last)) return null;
  const firstStart = blockStarts.get(first.dataset.block || "");
  const lastStart = blockStarts.get(last.dataset.block || "");
  if (firstStart === undefined || lastStart === undefined) return null;
  const start = firstStart + pointOffset(first, range.startContainer, range.startOffset);
  const end = lastStart + pointOffset(last, range.endContainer, range.endOffset);
  const text = range.toString();
  if (end <= start || !text.trim()) return null;
  return { start, end, text };
}

export class SelectionBar {
  /**
   * @param {{root: HTMLElement, article: HTMLElement, blocks: readonly BlockPayload[],
   *   live: HTMLElement}} where
   * @param {{highlight: (sel: Selected) => void, note: (sel: Selected) => void}} actions
   */
  constructor(where, actions) {
    this.root = where.root;
    this.article = where.article;
    this.live = where.live;
    this.blockStarts = new Map(where.blocks.map((b) => [b.id, b.start]));
    /** @type {Selected | null} */
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
        this.el.hidden = true;
        this.article.focus();
      }
    });
    this.listen();
  }

  /** @param {(sel: Selected) => void} action */
  act(action) {
    if (!this.selection) return;
    this.el.hidden = true;
    action(this.selection);
  }

  listen() {
    const article = this.article;
    const update = () => {
      const found = selectionOffsets(article, this.blockStarts);
      if (found) {
        this.selection = found;
        this.show();
      } else if (!this.el.contains(document.activeElement)) {
        this.el.hidden = true;
      }
    };
    article.addEventListener("mouseup", () => setTimeout(update, 0));
    article.addEventListener("keyup", (event) => {
      if (event.shiftKey || event.key.startsWith("Arrow")) update();
    });
    article.addEventListener("touchend", () => setTimeout(update, 0));
    article.addEventListener("keydown", (event) => {
      // In keyboard-selection mode, Enter on a selection moves to the annotate buttons.
      if (event.key === "Enter" && article.isContentEditable && this.selection) {
        const found = selectionOffsets(article, this.blockStarts);
        if (found) {
          event.preventDefault();
          this.selection = found;
          this.show();
          this.el.querySelector("button")?.focus();
        }
      }
    });
    // Keyboard selection mode edits nothing: block every input the browser would make.
    // (Prompt cards with their answer boxes live inside the article and stay writable.)
    for (const type of ["beforeinput", "paste", "drop", "cut"]) {
      article.addEventListener(type, (event) => {
        const target = /** @type {Element} */ (event.target);
        if (!target.closest?.("textarea, input, .ar-prompt")) event.preventDefault();
      });
    }
  }

  /** Show the bar just below the selection. */
  show() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const rect = selection.getRangeAt(0).getBoundingClientRect();
    const box = this.root.getBoundingClientRect();
    this.el.hidden = false;
    const left = Math.max(4, Math.min(rect.left - box.left, box.width - this.el.offsetWidth - 4));
    this.el.style.left = `${left}px`;
    this.el.style.top = `${rect.bottom - box.top + 6}px`;
    this.live.textContent = "Text selected. Highlight it or add a note.";
  }
}

/**
 * The toggle for keyboard selection: the article becomes a caret-browsable (but never
 * editable) region, so Shift+arrow keys select text without a mouse.
 * @param {HTMLElement} article
 * @param {HTMLElement} live
 */
export function caretToggle(article, live) {
  const button = h("button", "ar-caret-toggle", "Select text with keyboard");
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    if (on) {
      article.contentEditable = "true";
      article.setAttribute("aria-readonly", "true");
      article.spellcheck = false;
      article.focus();
      live.textContent =
        "Keyboard selection on: move with the arrow keys, select with Shift+arrows, then press Enter to annotate.";
    } else {
      article.removeAttribute("contenteditable");
      article.removeAttribute("aria-readonly");
      live.textContent = "Keyboard selection off.";
    }
  });
  return button;
}
