// Class mode, an instructor's reader: the lesson's "hide until posted". Classmates' notes reach
// a student once they have posted some notes or answers of their own, or from a time, whichever
// comes first (Hypothesis's Hide & Reveal, Perusall's "hide others' comments until posted").
// The class service keeps the setting and lets only instructors change it; students' readers
// follow live.

/** @import { GetRevealMessage, Reply, RevealSetting, SetRevealMessage } from "./protocol" */
import { postsPhrase } from "./classnotices.js";
import { h, shortTime } from "./dom.js";

/**
 * What a setting means for students, in a sentence.
 * @param {RevealSetting} reveal
 */
export function revealText(reveal) {
  const reasons = [];
  if (reveal.after_posts !== null) reasons.push(`once they have posted ${postsPhrase(reveal.after_posts)} here`);
  if (reveal.at) reasons.push(`from ${shortTime(reveal.at)}`);
  if (!reasons.length) return "Students see their classmates’ notes at once.";
  return `Students see their classmates’ notes ${reasons.join(", or ")}.`;
}

/**
 * The value a `datetime-local` input shows for an ISO time, in the browser's time zone.
 * @param {string} iso
 */
export function localInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  );
}

/**
 * The setting a filled form asks for, or a sentence saying what to fix.
 * @param {{posts: boolean, count: string, timed: boolean, when: string}} form
 * @returns {RevealSetting | string}
 */
export function settingFrom(form) {
  /** @type {RevealSetting} */
  const reveal = { after_posts: null, at: null };
  if (form.posts) {
    const n = Number(form.count);
    if (!Number.isInteger(n) || n < 1 || n > 50) return "Give a number of posts from 1 to 50.";
    reveal.after_posts = n;
  }
  if (form.timed) {
    const d = new Date(form.when);
    if (!form.when || Number.isNaN(d.getTime())) return "Give the date and time to show them from.";
    reveal.at = d.toISOString();
  }
  return reveal;
}

/**
 * The panel: a disclosure under the filters, read from the service when opened.
 * @param {string} uid
 * @param {(msg: GetRevealMessage | SetRevealMessage) => Promise<Reply>} request
 * @param {(text: string) => void} say into the reader's live region
 */
export function revealPanel(uid, request, say) {
  const el = h("details", "ar-reveal");
  const summary = h("summary", "", "Classmates’ notes for students");
  const state = h("p", "ar-reveal-state");
  state.id = `${uid}-reveal-state`;
  const form = h("form", "ar-reveal-form");
  form.setAttribute("aria-describedby", state.id);
  const fields = h("fieldset");
  fields.append(h("legend", "", "Hide classmates’ notes from a student until"));
  const check = (/** @type {string} */ cls, /** @type {string} */ text) => {
    const label = h("label", `ar-reveal-${cls}`);
    const box = /** @type {HTMLInputElement} */ (h("input"));
    box.type = "checkbox";
    label.append(box, ` ${text} `);
    return { label, box };
  };
  const posts = check("posts", "they have posted");
  const count = /** @type {HTMLInputElement} */ (h("input", "ar-reveal-count"));
  count.type = "number";
  count.min = "1";
  count.max = "50";
  count.value = "1";
  count.setAttribute("aria-label", "How many notes or answers of their own");
  posts.label.append(count, " note(s) or answer(s) here");
  const timed = check("timed", "this time:");
  const when = /** @type {HTMLInputElement} */ (h("input", "ar-reveal-when"));
  when.type = "datetime-local";
  when.setAttribute("aria-label", "The date and time to show them from");
  timed.label.append(when);
  fields.append(posts.label, timed.label);
  const save = h("button", "ar-reveal-save", "Set for this lesson");
  /** @type {HTMLButtonElement} */ (save).type = "submit";
  const status = h("p", "ar-reveal-status");
  status.setAttribute("role", "status");
  form.append(fields, save, status);
  el.append(summary, state, form);

  /** @param {RevealSetting} reveal */
  const show = (reveal) => {
    state.textContent = revealText(reveal);
    posts.box.checked = reveal.after_posts !== null;
    if (reveal.after_posts !== null) count.value = String(reveal.after_posts);
    timed.box.checked = Boolean(reveal.at);
    if (reveal.at) when.value = localInput(reveal.at);
  };
  /** @param {Reply} reply */
  const take = (reply) => {
    if (reply.type === "reveal") {
      show(reply.reveal);
      return true;
    }
    status.textContent = reply.type === "error" ? reply.message : "Not set: try again.";
    return false;
  };
  let loaded = false;
  el.addEventListener("toggle", async () => {
    if (!el.open || loaded) return;
    state.textContent = "Asking the class service…";
    loaded = take(await request({ type: "get-reveal" }));
    if (!loaded) state.textContent = "";
  });
  // Typing a count or a time is choosing it.
  count.addEventListener("input", () => (posts.box.checked = true));
  when.addEventListener("input", () => (timed.box.checked = Boolean(when.value)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const setting = settingFrom({
      posts: posts.box.checked,
      count: count.value,
      timed: timed.box.checked,
      when: when.value,
    });
    if (typeof setting === "string") {
      status.textContent = setting;
      return;
    }
    save.setAttribute("aria-disabled", "true");
    status.textContent = "Saving…";
    const reply = await request({ type: "set-reveal", ...setting });
    save.removeAttribute("aria-disabled");
    if (take(reply)) {
      loaded = true;
      status.textContent = "Set. Students’ readers follow now.";
      say(`Set: ${state.textContent}`);
    }
  });
  return { el };
}
