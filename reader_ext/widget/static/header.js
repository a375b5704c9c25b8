// The lesson's header: title, source (with how certain its attribution is), level and time,
// learning objectives.

/** @import { LessonPayload } from "./protocol" */
import { externalLink, h, safeUrl } from "./dom.js";

/**
 * @param {LessonPayload} lesson
 * @param {string} uid
 */
export function renderHeader(lesson, uid) {
  const header = h("header", "ar-header");
  const title = h("h2", "ar-title", lesson.title);
  title.id = `${uid}-title`;
  header.append(title);
  const src = lesson.source;
  const parts = [src.author, src.title, src.venue, src.date].filter(Boolean);
  if (parts.length) {
    const line = h("p", "ar-source");
    line.append(h("span", "ar-label", "Source: "));
    const url = src.url && safeUrl(src.url);
    line.append(url ? externalLink(url, parts.join(", ")) : document.createTextNode(parts.join(", ")));
    header.append(line);
    if (src.certainty) {
      const more = h("details", "ar-source-certainty");
      more.append(h("summary", "", "How certain is this attribution?"), h("p", "", src.certainty));
      header.append(more);
    }
  }
  const meta = [lesson.level, lesson.minutes ? `about ${lesson.minutes} minutes` : ""];
  header.append(h("p", "ar-meta", meta.filter(Boolean).join(" · ")));
  if (lesson.objectives.length) {
    const box = h("details", "ar-objectives");
    box.append(h("summary", "", "Learning objectives"));
    const list = h("ul");
    for (const o of lesson.objectives) list.append(h("li", "", o));
    box.append(list);
    header.append(box);
  }
  return header;
}

/** What each key does in the reader, for whoever reads without a mouse. */
const KEYS = [
  ["Tab", "moves paragraph by paragraph through the reading: one stop for each paragraph’s glossed terms"],
  ["← →", "the previous or next glossed term in the paragraph (Home, End: its first, its last)"],
  ["Enter or Space", "on a glossed term: open its gloss. Escape closes it; Tab from it goes on after the term"],
  ["Ctrl+F (⌘F)", "with the focus in the reader: search the reading. Enter: next match, Shift+Enter: previous, Escape: clear"],
  ["Skip link", "the first Tab stop before the reading skips its glossed terms and goes to the annotations"],
  ["Select text with keyboard", "lets the arrow keys move a caret in the reading, Shift+arrows select, Enter annotates"],
];

/** The keyboard help: a disclosure listing the reader's keys. */
export function keyboardHelp() {
  const box = h("details", "ar-keys");
  box.append(h("summary", "", "Keyboard help"));
  const list = h("dl", "ar-keys-list");
  for (const [key = "", what = ""] of KEYS) list.append(h("dt", "", key), h("dd", "", what));
  box.append(list);
  return box;
}
