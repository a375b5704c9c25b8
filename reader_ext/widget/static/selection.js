// Selecting text to annotate: the selection as document offsets, the bar of actions that appears
// beside it (on screen, inside the reading's pane), and keyboard selection (a caret moved with
// the arrow keys through the reading, which never becomes editable).

/** @import { BlockPayload } from "./protocol" */
import { h, visibleBox } from "./dom.js";
import { codePointLength, placeBeside } from "./positions.js";

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

/**
 * The current selection as document offsets, or null. The selection is cut to the reading's
 * blocks: a drag that starts or ends on a glossed term, in a prompt's box, in the margin or
 * past the end of the reading still selects the text of the blocks it covers.
 * @param {HTMLElement} article
 * @param {Map<string, number>} blockStarts
 * @returns {Selected | null}
 */
export function selectionOffsets(article, blockStarts) {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(article)) return null;
  /** @type {{start: number, end: number, text: string}[]} */
  const parts = [];
  for (const node of article.querySelectorAll("[data-block]")) {
    const block = /** @type {HTMLElement} */ (node);
    const blockStart = blockStarts.get(block.dataset.block || "");
    if (blockStart === undefined || !range.intersectsNode(block)) continue;
    if (block.parentElement?.closest("[data-block]")) continue; // counted with its outer block
    const part = document.createRange();
    part.selectNodeContents(block);
    if (range.compareBoundaryPoints(Range.START_TO_START, part) > 0) {
      part.setStart(range.startContainer, range.startOffset);
    }
    if (range.compareBoundaryPoints(Range.END_TO_END, part) < 0) {
      part.setEnd(range.endContainer, range.endOffset);
    }
    const text = part.toString();
    if (!text) continue;
    const start = blockStart + pointOffset(block, part.startContainer, part.startOffset);
    parts.push({ start, end: start + codePointLength(text), text });
  }
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!first || !last) return null;
  const text = parts.map((p) => p.text).join("\n");
  if (last.end <= first.start || !text.trim()) return null;
  return { start: first.start, end: last.end, text };
}

/** The rectangle of the current selection in the viewport, or null. */
export function selectionRect() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const rect = selection.getRangeAt(0).getBoundingClientRect();
  return rect.width || rect.height ? rect : null;
}

/**
 * Put `el` (absolutely positioned in its offset parent, the reading's pane) beside the
 * viewport rectangle `anchor`, inside what a person sees of the pane.
 * @param {HTMLElement} el
 * @param {DOMRect} anchor
 */
export function placeNear(el, anchor) {
  const pane = /** @type {HTMLElement | null} */ (el.offsetParent);
  if (!pane) return;
  const box = pane.getBoundingClientRect();
  // From the viewport to the pane's content (where `top` and `left` are measured).
  const dx = pane.scrollLeft - box.left - pane.clientLeft;
  const dy = pane.scrollTop - box.top - pane.clientTop;
  // What a person sees of the pane; when the anchor is out of sight (a keyboard selection in a
  // part of the reading scrolled away), the whole pane, so the bar still sits beside it.
  const shown = visibleBox(pane);
  const inSight = anchor.bottom > shown.top && anchor.top < shown.bottom;
  const seen = inSight ? shown : { left: box.left, top: -Infinity, right: box.right, bottom: Infinity };
  const at = placeBeside(
    { left: anchor.left + dx, top: anchor.top + dy, right: anchor.right + dx, bottom: anchor.bottom + dy },
    { width: el.offsetWidth, height: el.offsetHeight },
    { left: seen.left + dx, top: seen.top + dy, right: seen.right + dx, bottom: seen.bottom + dy },
  );
  el.style.left = `${at.left}px`;
  el.style.top = `${at.top}px`;
  el.dataset.side = at.above ? "above" : "below";
}

export class SelectionBar {
  /**
   * @param {{article: HTMLElement, blocks: readonly BlockPayload[],
   *   announce: (text: string) => void}} where
   * @param {{highlight: (sel: Selected) => void, note: (sel: Selected) => void}} actions
   */
  constructor(where, actions) {
    this.article = where.article;
    this.announce = where.announce;
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
        event.preventDefault();
        this.el.hidden = true;
        this.article.focus({ preventScroll: true });
      } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        // One toolbar, arrow keys between its buttons (the APG toolbar pattern).
        event.preventDefault();
        (document.activeElement === highlight ? note : highlight).focus();
      }
    });
    this.pressed = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {() => void} stops listening to the document */
    this.stop = () => {};
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
    const soon = (/** @type {number} */ ms) => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.update(), ms);
    };
    // While the button is held the selection is still being made: the bar waits for the release
    // (a bar that jumps about under a dragging pointer gets in the way).
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
    // Touch handles, keyboard selection and anything else that moves the selection.
    const changed = () => {
      if (!this.pressed) soon(120);
    };
    document.addEventListener("selectionchange", changed);
    // The notebook (or the reading's pane) scrolled: the bar stays beside the selection.
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
      // With a selection, Enter moves to the annotate buttons.
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
    // Said once when the bar appears, not on every Shift+arrow that changes the selection.
    if (was) this.announce("Text selected. Press Enter for Highlight and Add note.");
  }
}

/**
 * The toggle for keyboard selection: a caret that the arrow keys move through the reading
 * (Shift extends the selection, Ctrl moves by words), drawn by the reader since the reading is
 * not editable and the browser draws none. The reading becomes one focusable stop with a focus
 * indicator; no `contenteditable`, so assistive technology never meets an editable region.
 * @param {HTMLElement} article
 * @param {(text: string) => void} announce
 */
export function caretToggle(article, announce) {
  const button = h("button", "ar-caret-toggle", "Select text with keyboard");
  button.setAttribute("aria-pressed", "false");
  const caret = h("div", "ar-caret");
  caret.hidden = true;
  caret.setAttribute("aria-hidden", "true");
  const drawCaret = () => {
    const selection = document.getSelection();
    const on = article.classList.contains("ar-caret-mode");
    const range = selection && selection.rangeCount ? selection.getRangeAt(0) : null;
    const pane = /** @type {HTMLElement | null} */ (caret.offsetParent ?? article.parentElement);
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
  /** Put the caret at the start of the reading if the selection is not in it. */
  const home = () => {
    const selection = document.getSelection();
    if (selection?.rangeCount && article.contains(selection.getRangeAt(0).startContainer)) return;
    const first = article.querySelector("[data-block]");
    if (first) selection?.collapse(first, 0);
  };
  article.addEventListener("keydown", (event) => {
    if (!article.classList.contains("ar-caret-mode") || event.target !== article) return;
    const moves = /** @type {Record<string, [string, string]>} */ ({
      ArrowLeft: ["backward", event.ctrlKey ? "word" : "character"],
      ArrowRight: ["forward", event.ctrlKey ? "word" : "character"],
      ArrowUp: ["backward", "line"],
      ArrowDown: ["forward", "line"],
      Home: ["backward", event.ctrlKey ? "documentboundary" : "lineboundary"],
      End: ["forward", event.ctrlKey ? "documentboundary" : "lineboundary"],
    });
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
  article.addEventListener("blur", () => (caret.hidden = true));
  button.addEventListener("click", () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(on));
    article.classList.toggle("ar-caret-mode", on);
    if (on) {
      if (!caret.isConnected) article.after(caret);
      article.tabIndex = 0;
      article.setAttribute(
        "aria-description",
        "Keyboard selection: arrow keys move, Shift+arrows select, Enter annotates",
      );
      article.focus({ preventScroll: true });
      announce(
        "Keyboard selection on: move with the arrow keys, select with Shift+arrows, then press Enter to annotate.",
      );
    } else {
      article.tabIndex = -1;
      article.removeAttribute("aria-description");
      caret.hidden = true;
      announce("Keyboard selection off.");
    }
  });
  return button;
}
