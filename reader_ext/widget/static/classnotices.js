// Class mode, at the head of a student's annotations: why classmates' notes are not listed yet
// (the lesson's hide until posted, as the class service says it), and private feedback that came
// live, with a button that shows it (the card may be far down the list).

/** @import { HiddenPayload } from "./protocol" */
import { nameFor } from "./a11y.js";
import { h, shortTime } from "./dom.js";

/**
 * "1 note or answer", "3 notes or answers": the posts hide until posted counts.
 * @param {number} n
 */
export function postsPhrase(n) {
  return n === 1 ? "1 note or answer" : `${n} notes or answers`;
}

/**
 * "Your classmates’ notes are hidden for now: they appear once you have posted 1 note or answer
 * here, or at 12/2/2026, 10:00:00 AM." (the time in the browser's locale)
 * @param {HiddenPayload} hidden
 */
export function hiddenText(hidden) {
  const reasons = [];
  if (hidden.after_posts !== null) {
    const left = Math.max(1, hidden.after_posts - hidden.own_posts);
    reasons.push(
      `once you have posted ${postsPhrase(hidden.after_posts)} here` +
        (hidden.own_posts ? ` (${left} more to go)` : ""),
    );
  }
  if (hidden.at) reasons.push(`at ${shortTime(hidden.at)}`);
  return `Your classmates’ notes are hidden for now: they appear ${reasons.join(", or ")}.`;
}

/** The line that says why classmates' notes are hidden; `set(null)` hides it. */
export function hiddenLine() {
  const el = h("p", "ar-hidden-notes");
  el.hidden = true;
  return {
    el,
    /** @param {HiddenPayload | null} hidden */
    set(hidden) {
      el.hidden = !hidden;
      el.textContent = hidden ? hiddenText(hidden) : "";
    },
  };
}

/** The line that says something came for this reader, with "Show it" and a dismiss button. */
export function newsLine() {
  const el = h("p", "ar-news");
  el.hidden = true;
  const done = () => {
    el.hidden = true;
    el.replaceChildren();
  };
  return {
    el,
    /**
     * @param {string} text
     * @param {() => void} show what "Show it" does
     * @param {() => void} dismissed where the focus goes when the line is dismissed
     */
    tell(text, show, dismissed) {
      const open = h("button", "ar-news-show", "Show it");
      nameFor(open, text);
      open.addEventListener("click", () => {
        done();
        show();
      });
      const close = h("button", "ar-news-close", "×");
      close.setAttribute("aria-label", "Dismiss");
      close.addEventListener("click", () => {
        done();
        dismissed();
      });
      el.replaceChildren(h("span", "", text), " ", open, close);
      el.hidden = false;
    },
  };
}
