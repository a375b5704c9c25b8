// Where things are for the person looking: the part of the page they can see, and what the
// keyboard reaches next. Inside JupyterLab an output sits in clipped, scrolling panels, so the
// window alone does not say what is on screen.

/**
 * The part of the window in which `el` can be seen: the window clipped by every ancestor that
 * clips its content (the notebook's scrolling panel, the reading's own pane).
 * @param {Element} el
 * @returns {{top: number, left: number, bottom: number, right: number}}
 */
export function visibleArea(el) {
  const area = { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
  // The body and the root element are the window's own (JupyterLab's body clips with a height
  // of 0, which clips nothing positioned); paint containment clips as overflow does.
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    const clips =
      /(auto|scroll|hidden|clip)/.test(`${style.overflowX} ${style.overflowY}`) ||
      /(paint|strict|content)/.test(style.contain);
    if (!clips) continue;
    const box = node.getBoundingClientRect();
    area.top = Math.max(area.top, box.top);
    area.left = Math.max(area.left, box.left);
    area.bottom = Math.min(area.bottom, box.bottom);
    area.right = Math.min(area.right, box.right);
  }
  return area;
}

const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

/**
 * The first element after `from` (in document order, not inside it or `skip`) that Tab would
 * reach in `root`, or null.
 * @param {HTMLElement} root
 * @param {Element} from
 * @param {Element} skip
 */
export function tabbableAfter(root, from, skip) {
  for (const node of root.querySelectorAll(FOCUSABLE)) {
    const el = /** @type {HTMLElement} */ (node);
    if (from.contains(el) || skip.contains(el)) continue;
    if (!(from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
    if (el.tabIndex < 0 || el.matches(":disabled") || el.closest("[hidden], [inert]")) continue;
    if (!el.getClientRects().length) continue; // not rendered (display: none, closed <details>)
    return el;
  }
  return null;
}

/**
 * Scroll what holds `target` (the reading's pane, the notebook panel, the window) just enough
 * to bring `rect()` to the middle of what can be seen, innermost first; at once, not smoothly
 * (a jump between search matches, as a browser's find does).
 * @param {Element} target
 * @param {() => DOMRect} rect where the thing to show is now
 */
export function reveal(target, rect) {
  for (let node = target.parentElement; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (!/(auto|scroll)/.test(style.overflowY) || node.scrollHeight <= node.clientHeight) continue;
    const box = node.getBoundingClientRect();
    const at = rect();
    if (at.top >= box.top && at.bottom <= box.bottom) continue;
    node.scrollTop += at.top - (box.top + box.height / 2 - at.height / 2);
  }
  const at = rect();
  if (at.top < 0 || at.bottom > window.innerHeight) {
    window.scrollBy(0, at.top - window.innerHeight / 2);
  }
}
