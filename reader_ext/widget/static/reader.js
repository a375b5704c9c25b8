// Annotated Reader: the browser side of reader_ext.Reader, an anywidget ES module. This entry
// puts the reader together; esbuild bundles it and the modules it imports into dist/reader.js
// (`npm run build`), which is what the widget loads.
//
// Python renders and sanitises every piece of HTML these modules insert (the lesson's `*_html`
// fields); everything else is set as text or as attributes, never parsed as HTML.

/**
 * @import { AnyModel, Render } from "@anywidget/types"
 * @import { LessonPayload, ReaderState } from "./protocol"
 */
import { rovingToolbar } from "./a11y.js";
import { Annotations } from "./annotations.js";
import { announce, h } from "./dom.js";
import { GlossPopup, renderGlossary, skipLink, wireGlosses } from "./glosses.js";
import { keyboardHelp, renderHeader } from "./header.js";
import { Channel } from "./messaging.js";
import { placePrompts } from "./prompts.js";
import { Search } from "./search.js";
import { caretToggle } from "./selection.js";

let instances = 0;

/**
 * The notice line (e.g. "3 annotations from your class are now shown"), kept up to date.
 * @param {AnyModel<ReaderState>} model
 */
function notice(model) {
  const el = h("p", "ar-notice");
  el.setAttribute("role", "status");
  const show = () => {
    el.textContent = model.get("notice") || "";
    el.hidden = !el.textContent;
  };
  show();
  model.on("change:notice", show);
  return { el, stop: () => model.off("change:notice", show) };
}

/**
 * Ask the kernel for the lesson (it answers `hello` with a snapshot carrying it: the lesson is no
 * synced trait, so a saved notebook does not hold it) and build the reader when it comes.
 * @type {Render<ReaderState>}
 */
function render({ model, el }) {
  const opening = h("p", "ar-opening", "Opening the reader…");
  opening.setAttribute("role", "status");
  el.replaceChildren(opening);
  // No answer: a notebook opened with its saved widgets but no kernel running this cell.
  const slow = setTimeout(() => {
    opening.textContent = "Opening the reader… If nothing appears, run this cell again.";
  }, 5000);
  let stop = () => {};
  const channel = new Channel(model, (msg) => {
    if (msg.type !== "snapshot" || !msg.lesson) return;
    clearTimeout(slow);
    stop = build(model, el, msg.lesson, channel);
    channel.onMessage(msg); // now the reader's own handler: the first snapshot's annotations
  });
  const disconnect = channel.connect();
  channel.send({ type: "hello" });
  return () => {
    clearTimeout(slow);
    disconnect();
    stop();
  };
}

/**
 * The reader itself, for the lesson the kernel sent; returns what undoes it.
 * @param {AnyModel<ReaderState>} model
 * @param {HTMLElement} el
 * @param {LessonPayload} lesson
 * @param {Channel} channel
 */
function build(model, el, lesson, channel) {
  const uid = `ar${++instances}-${Math.random().toString(36).slice(2, 8)}`;
  // A section: the region landmark, and what scopes the lesson's <header> (not a page banner).
  const root = h("section", "ar-reader");
  root.setAttribute("role", "region");
  root.setAttribute("aria-label", `Annotated reader: ${lesson.title}`);
  const glosses = new Map(lesson.glossary.map((g) => [g.key, g]));
  const popup = new GlossPopup(root, glosses, uid);
  const live = h("div", "ar-live");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");

  const article = h("article", "ar-article");
  article.id = `${uid}-article`;
  article.setAttribute("aria-label", "The reading");
  article.innerHTML = lesson.html; // sanitised in Python (reader_ext.text.markup.sanitize)
  for (const block of article.querySelectorAll("[data-block]")) block.classList.add("ar-block");
  wireGlosses(article, popup, glosses);
  placePrompts(lesson, article);
  const notes = new Annotations({ model, lesson, root, article, live, uid, channel });
  popup.onOpen = (key) => notes.channel.send({ type: "gloss-open", key });

  const { toggle, panel } = renderGlossary(lesson, article, popup, live, uid);
  const toolbar = h("div", "ar-toolbar");
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Reader tools");
  toolbar.append(toggle, caretToggle(article, (text) => announce(live, text)));
  const search = new Search({ article, uid });
  const find = h("div", "ar-find");
  find.append(search.slot, keyboardHelp());
  root.append(renderHeader(lesson, uid), toolbar, find);
  if (notes.instructor) {
    toolbar.append(notes.heat.button);
    root.append(notes.heat.legend);
    root.classList.add("ar-instructor");
  }
  root.append(panel);
  const note = notice(model);
  root.append(note.el, notes.connection);
  if (lesson.intro_html) {
    const intro = h("section", "ar-intro");
    intro.setAttribute("aria-label", "Introduction");
    intro.innerHTML = lesson.intro_html; // sanitised in Python
    root.append(intro);
  }
  // The reading and the annotations, each in its own pane (layout.js).
  const main = h("div", "ar-main");
  const terms = article.querySelectorAll(".ar-gloss").length;
  const sideTitle = /** @type {HTMLElement} */ (notes.side.el.querySelector(".ar-side-title"));
  main.append(skipLink(terms, sideTitle), article);
  if (notes.comments) main.append(notes.comments.el);
  const body = h("div", "ar-body");
  body.append(main, notes.side.el);
  notes.place(body, main);
  toolbar.append(notes.layout.toggle);
  root.append(body, popup.el, live);

  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !popup.el.hidden) {
      event.preventDefault();
      popup.close(true);
    }
    // Keys typed in the reader are the reader's: never JupyterLab's notebook shortcuts
    // (in command mode, "a" or "d d" would otherwise add or delete cells).
    if (!event.ctrlKey && !event.metaKey) event.stopPropagation();
  });
  const outside = (/** @type {Event} */ event) => {
    const target = /** @type {Node} */ (event.target);
    if (!popup.el.hidden && !popup.el.contains(target) && !popup.term?.contains(target)) {
      popup.close(false);
    }
  };
  // A gloss opened by hover is dismissed by Escape wherever the focus is (WCAG 1.4.13).
  const escape = (/** @type {KeyboardEvent} */ event) => {
    if (event.key === "Escape" && !popup.el.hidden) popup.close(false);
  };
  const stopSearch = search.shortcut(root);
  // Both toolbars (the reader's tools, the selection's) follow the APG toolbar pattern.
  const toolbars = [rovingToolbar(toolbar), rovingToolbar(notes.selection.el)];
  document.addEventListener("pointerdown", outside);
  document.addEventListener("keydown", escape);
  // The panes' height and the layout chosen from where the reader goes, before it is there:
  // left to the first resize notice, they would lay the painted reader out a second time.
  if (el.isConnected) notes.layout.measure(el);
  el.replaceChildren(root);
  return () => {
    for (const stop of toolbars) stop();
    document.removeEventListener("pointerdown", outside);
    document.removeEventListener("keydown", escape);
    stopSearch();
    note.stop();
    notes.selection.stop();
    notes.layout.stop();
  };
}

export default { render };
