// Small DOM helpers shared by every module.
//
// Python renders and sanitises every piece of HTML the reader inserts (the lesson's `*_html`
// fields and `body_html`); everything else (titles, terms, names, URLs) is set as text or as
// attributes, never parsed as HTML.

import { intersect, scrollDelta } from "./positions.js";

/**
 * Create an element with a class and optional text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Only http(s) and mailto links leave Python; check again so a bad URL is never a link here.
 * @param {string} url
 */
export function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

/**
 * A link that opens in a new tab and tells the page nothing about the reader.
 * @param {string} url an already checked URL (see safeUrl)
 * @param {string} text
 */
export function externalLink(url, text) {
  const link = h("a", "", text);
  link.href = url;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  return link;
}

/**
 * A short, readable local time for an ISO timestamp.
 * @param {string} iso
 */
export function shortTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/**
 * The element of the reading's block `id`, or null.
 * @param {ParentNode} article
 * @param {string} id
 * @returns {HTMLElement | null}
 */
export function blockElement(article, id) {
  return article.querySelector(`[data-block="${CSS.escape(id)}"]`);
}

/**
 * Restart a one-shot CSS animation (the "flash" that shows where something is).
 * @param {Element} el
 */
export function flashElement(el) {
  el.classList.remove("ar-flash");
  void (/** @type {HTMLElement} */ (el).offsetWidth); // reflow, so re-adding the class restarts it
  el.classList.add("ar-flash");
  // Under reduced motion the flash is a still outline (reader.css): it goes when the flash would.
  clearTimeout(flashTimers.get(el));
  flashTimers.set(el, setTimeout(() => el.classList.remove("ar-flash"), FLASH_MS));
}

const FLASH_MS = 1200; // as long as the ar-flash animation in reader.css
/** @type {WeakMap<Element, ReturnType<typeof setTimeout>>} */
const flashTimers = new WeakMap();

/**
 * Say `text` through a live region; emptied first so a repeated message is read again.
 * @param {HTMLElement} live
 * @param {string} text
 */
export function announce(live, text) {
  live.textContent = "";
  setTimeout(() => (live.textContent = text), 30);
}

/**
 * Scroll `el` into view inside the reader's own pane that holds it (the reading or the
 * annotations), never the notebook or the page around the widget: a person keeps their place.
 * `align` puts the element's top at that distance from the pane's top (as a card is put beside
 * its passage); without it the pane moves as little as shows the element.
 * @param {Element} el
 * @param {number} [align]
 */
export function scrollIntoPane(el, align) {
  const pane = /** @type {HTMLElement | null} */ (el.parentElement?.closest(".ar-pane"));
  if (!pane || pane.scrollHeight <= pane.clientHeight) return;
  const view = pane.getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const top = box.top - view.top;
  if (align !== undefined) {
    pane.scrollTop += top - align;
    return;
  }
  pane.scrollTop += scrollDelta(top, box.bottom - view.top, 0, pane.clientHeight);
}

/**
 * The part of `el` a person can see, in viewport coordinates: its box cut by every ancestor
 * that clips (JupyterLab's scrolling notebook and output panels) and by the window.
 * @param {Element} el
 */
export function visibleBox(el) {
  const r = el.getBoundingClientRect();
  let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  // Not the body nor the root: their overflow is the window's (clipped below), whatever their box.
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    if (getComputedStyle(node).overflow === "visible") continue;
    const c = node.getBoundingClientRect();
    box = intersect(box, { left: c.left, top: c.top, right: c.right, bottom: c.bottom });
  }
  const view = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  return intersect(box, view);
}
