// The reader: header, reading, prompts and comments, put together in render().

/**
 * @param {Lesson} lesson
 * @param {string} uid
 */
function renderHeader(lesson, uid) {
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
    if (url) {
      const link = /** @type {HTMLAnchorElement} */ (h("a", "", parts.join(", ")));
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      line.append(link);
    } else {
      line.append(document.createTextNode(parts.join(", ")));
    }
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

/**
 * @param {Prompt} prompt
 * @param {number} index
 */
function renderPrompt(prompt, index) {
  const box = h("aside", "ar-prompt");
  box.dataset.prompt = prompt.id;
  box.contentEditable = "false"; // stays a form even when the article is caret-browsable
  box.setAttribute("aria-label", `Discussion prompt ${index + 1}`);
  const label = h("p", "ar-prompt-label");
  label.append(h("span", "ar-prompt-badge", `Prompt ${index + 1}`));
  label.append(h("span", "ar-prompt-level", `${prompt.kind} · ${prompt.bloom}`));
  const quote = h("blockquote", "ar-prompt-quote", `“${prompt.quote}”`);
  const question = h("div", "ar-prompt-question");
  question.innerHTML = prompt.question_html; // sanitised in Python (reader_ext.text.markup)
  box.append(label, quote, question);
  return box;
}

/**
 * @param {Comment[]} comments
 * @param {string} uid
 */
function renderComments(comments, uid) {
  const section = h("section", "ar-comments");
  const heading = h("h3", "ar-comments-title", `Reader comments (${comments.length})`);
  heading.id = `${uid}-comments`;
  section.setAttribute("aria-labelledby", heading.id);
  section.append(
    heading,
    h("p", "ar-comments-note", "Published with the article: readers’ words, not the author’s."),
  );
  const list = h("ol", "ar-comment-list");
  for (const c of comments) {
    const item = h("li", "ar-comment");
    item.dataset.comment = c.id;
    const body = h("blockquote", "ar-comment-body");
    body.innerHTML = c.html; // escaped verbatim text, from Python
    item.append(h("p", "ar-comment-author", c.author), body);
    list.append(item);
  }
  section.append(list);
  return section;
}

/**
 * Place each prompt after its block and mark its quote in the text.
 * @param {Lesson} lesson
 * @param {HTMLElement} article
 */
function placePrompts(lesson, article) {
  const starts = new Map(lesson.blocks.map((b) => [b.id, b.start]));
  lesson.prompts.forEach((prompt, index) => {
    const block = article.querySelector(`[data-block="${CSS.escape(prompt.block)}"]`);
    const blockStart = starts.get(prompt.block);
    if (!block || blockStart === undefined) return;
    const card = renderPrompt(prompt, index);
    card.id = `${article.id}-prompt-${prompt.id}`;
    wrapRange(block, prompt.start - blockStart, prompt.end - blockStart, () => {
      const mark = h("mark", "ar-prompt-anchor");
      mark.dataset.prompt = prompt.id;
      mark.setAttribute("aria-describedby", card.id);
      return mark;
    });
    // After the block itself, or after the list item / quote that holds it.
    let holder = block.closest("li, blockquote") || block;
    // Several prompts after one block keep their text order.
    while (holder.nextElementSibling?.classList.contains("ar-prompt")) {
      holder = holder.nextElementSibling;
    }
    holder.after(card);
  });
}

/**
 * The toggle for keyboard selection: the article becomes a caret-browsable (but never
 * editable) region, so Shift+arrow keys select text without a mouse.
 * @param {HTMLElement} article
 * @param {HTMLElement} live
 */
function caretToggle(article, live) {
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

/** @param {{model: any, el: HTMLElement}} ctx */
function render({ model, el }) {
  const uid = `ar${++instances}-${Math.random().toString(36).slice(2, 8)}`;
  /** @type {Lesson} */
  const lesson = model.get("lesson");
  const root = h("div", "ar-reader");
  root.setAttribute("role", "region");
  root.setAttribute("aria-label", `Annotated reader: ${lesson.title}`);
  const glosses = new Map(lesson.glossary.map((g) => [g.key, g]));
  const popup = new GlossPopup(root, glosses, uid);
  popup.onOpen = (/** @type {string} */ key) => model.send({ type: "gloss-open", key });
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
  const notes = new Annotations({ model, lesson, root, article, live, uid });
  notes.attachPrompts();

  const { toggle, panel } = renderGlossary(lesson, article, popup, live, uid);
  const toolbar = h("div", "ar-toolbar");
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Reader tools");
  toolbar.append(toggle, caretToggle(article, live));
  if (notes.instructor) {
    const heat = h("button", "ar-heat-toggle", "Heat map");
    heat.setAttribute("aria-pressed", "false");
    heat.addEventListener("click", () => {
      const on = heat.getAttribute("aria-pressed") !== "true";
      heat.setAttribute("aria-pressed", String(on));
      notes.paintHeat(on);
    });
    toolbar.append(heat);
    root.classList.add("ar-instructor");
  }

  root.append(renderHeader(lesson, uid), toolbar, panel);
  const notice = h("p", "ar-notice");
  notice.setAttribute("role", "status");
  const showNotice = () => {
    notice.textContent = model.get("notice") || "";
    notice.hidden = !notice.textContent;
  };
  showNotice();
  model.on("change:notice", showNotice);
  root.append(notice);
  if (lesson.intro_html) {
    const intro = h("section", "ar-intro");
    intro.setAttribute("aria-label", "Introduction");
    intro.innerHTML = lesson.intro_html; // sanitised in Python
    root.append(intro);
  }
  const main = h("div", "ar-main");
  main.append(article, notes.selbar);
  if (lesson.comments.length) {
    const comments = renderComments(lesson.comments, uid);
    notes.attachComments(comments);
    main.append(comments);
  }
  const body = h("div", "ar-body");
  body.append(main, notes.side);
  root.append(body, popup.el, notes.toast, live);

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
  const onMessage = (/** @type {any} */ msg) => notes.receive(msg);
  model.on("msg:custom", onMessage);
  document.addEventListener("pointerdown", outside);
  document.addEventListener("keydown", escape);
  el.replaceChildren(root);
  model.send({ type: "hello" });
  return () => {
    document.removeEventListener("pointerdown", outside);
    document.removeEventListener("keydown", escape);
    model.off("msg:custom", onMessage);
    model.off("change:notice", showNotice);
  };
}

export default { render };
