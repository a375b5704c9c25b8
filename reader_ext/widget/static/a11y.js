// Accessibility patterns shared by the reader's modules: the APG toolbar (arrow keys between
// its buttons, one Tab stop), motion that respects `prefers-reduced-motion`, moving the focus to
// a passage shown in the text, and accessible names that say which prompt or comment a repeated
// button is for.

/** Whether the reader asked for less motion (WCAG 2.3.3). */
export function reducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/**
 * How to scroll to something: smoothly, unless the reader asked for less motion (an explicit
 * `behavior: "smooth"` overrides CSS `scroll-behavior`, so it must be chosen here).
 * @returns {ScrollBehavior}
 */
export function scrollBehavior() {
  return reducedMotion() ? "auto" : "smooth";
}

/**
 * The first words of `text`, for a name or an announcement.
 * @param {string} text
 * @param {number} [max]
 */
export function excerpt(text, max = 60) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Move the focus to a passage just shown in the text ("Show in text", a glossary jump), so a
 * keyboard or screen-reader user is where sighted readers look, and say what it is. The element
 * becomes focusable by script only (tabindex=-1) unless it already takes the focus.
 * @param {HTMLElement} el
 * @param {(text: string) => void} [say]
 * @param {string} [what] how to say it, e.g. "Passage"
 */
export function focusPassage(el, say, what = "Shown in the text") {
  if (!el.hasAttribute("tabindex")) el.tabIndex = -1;
  el.focus({ preventScroll: true });
  say?.(`${what}: ${excerpt(el.textContent || "")}`);
}

/**
 * Give a button repeated on the page (nine "Answer this prompt", a "Reply" per comment) a name of
 * its own: its visible text first (WCAG 2.5.3), then what it is for.
 * @param {HTMLElement} button
 * @param {string} subject e.g. "Prompt 2" or "comment 3, by Ana"
 */
export function nameFor(button, subject) {
  button.setAttribute("aria-label", `${(button.textContent || "").trim()}: ${subject}`);
}

/**
 * The APG toolbar pattern on a `role=toolbar` element: one Tab stop (roving tabindex), Left and
 * Right (Up and Down too) move between its visible buttons, wrapping; Home and End go to the
 * first and last. Buttons added later (the heat map's, the layout's) join as they come.
 * @param {HTMLElement} toolbar
 * @returns {() => void} stops it
 */
export function rovingToolbar(toolbar) {
  const every = () =>
    /** @type {HTMLElement[]} */ ([...toolbar.querySelectorAll("button, [role=button], a[href]")]);
  const items = () => every().filter((el) => !el.hidden);
  /** @type {HTMLElement | null} the toolbar's one Tab stop */
  let current = null;
  const rove = () => {
    const all = items();
    if (!current || !all.includes(current)) current = all[0] ?? null;
    for (const el of every()) el.tabIndex = el === current ? 0 : -1;
  };
  const keydown = (/** @type {KeyboardEvent} */ event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const all = items();
    const at = all.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (at < 0) return;
    const n = all.length;
    const to = {
      ArrowRight: (at + 1) % n,
      ArrowDown: (at + 1) % n,
      ArrowLeft: (at - 1 + n) % n,
      ArrowUp: (at - 1 + n) % n,
      Home: 0,
      End: n - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    all[to]?.focus();
  };
  const focusin = (/** @type {FocusEvent} */ event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (items().includes(target)) current = target;
    rove();
  };
  // A button added or shown later (the heat map's, the layout's) must not add a Tab stop.
  const observer = new MutationObserver(rove);
  toolbar.addEventListener("keydown", keydown);
  toolbar.addEventListener("focusin", focusin);
  observer.observe(toolbar, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["hidden"],
  });
  rove();
  return () => {
    toolbar.removeEventListener("keydown", keydown);
    toolbar.removeEventListener("focusin", focusin);
    observer.disconnect();
  };
}
