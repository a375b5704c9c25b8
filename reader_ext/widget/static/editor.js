// The Markdown editor used for notes, replies, answers and edits. It keeps what was typed until
// the kernel says it is saved: the text stays in the box on an error (shown beside it), and a
// draft is kept in localStorage so a reload or a lost kernel loses nothing. Cancel and Escape
// drop the draft: what was cancelled does not come back. The form says where it is (Saving…,
// the error), and the caller's `done` says where the focus goes next.

/** @import { Reply } from "./protocol" */
import { h, scrollIntoPane } from "./dom.js";

let editors = 0;

/**
 * @typedef {object} EditorOptions
 * @property {string} draftKey where the draft is kept, unique within the lesson
 * @property {string} label what the form is for, e.g. "New note"
 * @property {string} [quote] the passage annotated, shown above the box
 * @property {boolean} [withTags]
 * @property {string} [initial]
 * @property {string[]} [initialTags]
 * @property {string} [saveLabel]
 * @property {HTMLElement | null} [extra] a further field, shown under the text and tags
 * @property {(body: string, tags: string[]) => Promise<Reply>} save
 * @property {(saved: Reply | null) => void} done called after a save with the kernel's answer,
 *   and with null on Cancel or Escape; it removes the form and puts the focus somewhere meaningful
 */

/**
 * @param {{uri: string, uid: string, announce: (text: string) => void}} where the lesson, the
 *   widget instance and its live region
 * @param {EditorOptions} opts
 */
export function editor(where, opts) {
  const form = h("form", "ar-editor");
  form.setAttribute("aria-label", opts.label);
  const key = `reader-ext:draft:${where.uri}:${opts.draftKey}`;
  if (opts.quote) form.append(h("blockquote", "ar-editor-quote", opts.quote));
  const id = `${where.uid}-ed${++editors}`;
  const label = h("label", "ar-editor-label", `${opts.label} (Markdown)`);
  label.htmlFor = id;
  const area = h("textarea", "ar-editor-body");
  area.id = id;
  area.rows = 4;
  area.value = localStorage.getItem(key) ?? opts.initial ?? "";
  area.addEventListener("input", () => {
    try {
      localStorage.setItem(key, area.value);
    } catch {
      // storage full or disabled: the text is still in the box
    }
  });
  form.append(label, area);
  /** @type {HTMLInputElement | null} */
  let tags = null;
  if (opts.withTags) {
    const tagLabel = h("label", "ar-editor-label", "Tags (comma-separated)");
    tags = h("input", "ar-editor-tags");
    tags.id = `${id}-tags`;
    tagLabel.htmlFor = tags.id;
    tags.value = (opts.initialTags || []).join(", ");
    form.append(tagLabel, tags);
  }
  if (opts.extra) form.append(opts.extra);
  const error = h("p", "ar-editor-error");
  error.setAttribute("role", "alert");
  const status = h("p", "ar-editor-status");
  status.setAttribute("role", "status");
  const actions = h("div", "ar-editor-actions");
  const save = h("button", "ar-save", opts.saveLabel || "Save");
  save.type = "submit";
  const cancel = h("button", "ar-cancel", "Cancel");
  cancel.type = "button";
  actions.append(save, cancel);
  form.append(error, status, actions);
  const drop = () => {
    try {
      localStorage.removeItem(key);
    } catch {
      // storage disabled: there is no draft to drop
    }
  };
  const abandon = () => {
    drop();
    opts.done(null);
  };
  cancel.addEventListener("click", abandon);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      abandon();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    save.disabled = true;
    error.textContent = "";
    status.textContent = "Saving…";
    form.setAttribute("aria-busy", "true");
    const tagList = tags
      ? tags.value
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : [];
    const answer = await opts.save(area.value, tagList);
    form.removeAttribute("aria-busy");
    save.disabled = false;
    status.textContent = "";
    if (answer.type === "error") {
      error.textContent = answer.message; // the typed text stays in the box, and its draft
      area.focus();
      return;
    }
    drop();
    where.announce("Saved.");
    opts.done(answer);
  });
  return form;
}

/**
 * Move the focus to the text box of `form`, scrolling only the reader's pane that holds it
 * (focus() alone would scroll the notebook too).
 * @param {HTMLFormElement} form
 */
export function focusEditor(form) {
  form.querySelector("textarea")?.focus({ preventScroll: true });
  scrollIntoPane(form);
}
