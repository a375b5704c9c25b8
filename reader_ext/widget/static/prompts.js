// Discussion prompts: each placed after the block it quotes, its quote marked in the text, and
// an answer box that shows the reader's answer or opens an editor for one.

/**
 * @import { AnnotationView, LessonPayload, PromptPayload } from "./protocol"
 * @import { Channel } from "./messaging.js"
 */
import { nameFor } from "./a11y.js";
import { blockElement, h, shortTime } from "./dom.js";
import { editor, focusEditor } from "./editor.js";
import { wrapRange } from "./paint.js";

/**
 * @param {PromptPayload} prompt
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
  box.append(label, quote, question, h("div", "ar-answer"));
  return box;
}

/**
 * Place each prompt after its block and mark its quote in the text.
 * @param {LessonPayload} lesson
 * @param {HTMLElement} article
 */
export function placePrompts(lesson, article) {
  const starts = new Map(lesson.blocks.map((b) => [b.id, b.start]));
  lesson.prompts.forEach((prompt, index) => {
    const block = blockElement(article, prompt.block);
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

export class PromptAnswers {
  /**
   * @param {{lesson: LessonPayload, article: HTMLElement, uid: string, channel: Channel,
   *   announce: (text: string) => void, instructor?: boolean,
   *   answers?: () => {label: string, passes: (a: AnnotationView) => boolean} | null}} where
   *   `answers`: the student (or discussion group) the instructor's list is filtered to, and
   *   which answers it lets through; null for the whole class
   */
  constructor(where) {
    this.lesson = where.lesson;
    this.article = where.article;
    this.channel = where.channel;
    this.where = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    this.instructor = Boolean(where.instructor);
    this.answersFilter = where.answers ?? (() => null);
    /** @type {AnnotationView[]} */
    this.all = [];
    if (this.instructor) {
      // The id beside the number: what the report, students.csv and prompts.toml call it.
      for (const label of this.article.querySelectorAll(".ar-prompt .ar-prompt-label")) {
        const id = label.closest(".ar-prompt")?.getAttribute("data-prompt") || "";
        label.querySelector(".ar-prompt-badge")?.after(h("code", "ar-prompt-id", id));
      }
    }
  }

  /**
   * Show each prompt's answer (or the button to write one); returns how many are answered.
   * @param {AnnotationView[]} all every annotation on the lesson
   */
  refresh(all) {
    this.all = all;
    let answered = 0;
    // One pass for every prompt's answer, not one pass per prompt (11 prompts × 10,000
    // annotations: 53 ms of the reader's opening under the profiler).
    /** @type {Map<string | null, AnnotationView>} */
    const mineFor = new Map();
    for (const a of all) {
      if (a.kind === "answer" && a.mine && !mineFor.has(a.prompt)) mineFor.set(a.prompt, a);
    }
    for (const prompt of this.lesson.prompts) {
      const card = /** @type {HTMLElement | null} */ (
        this.article.querySelector(`.ar-prompt[data-prompt="${CSS.escape(prompt.id)}"]`)
      );
      const box = card?.querySelector(".ar-answer");
      if (!card || !box) continue;
      const mine = mineFor.get(prompt.id);
      if (mine) answered++;
      card.dataset.answered = String(Boolean(mine));
      if (box.querySelector("form")) continue; // being written or saved: never wipe it
      box.replaceChildren();
      if (this.instructor) {
        box.append(...this.classAnswers(prompt, all));
        continue;
      }
      const status = h("p", "ar-answer-status", mine ? "✓ Answered" : "Not answered yet");
      if (mine) {
        const shown = h("div", "ar-answer-text");
        shown.innerHTML = mine.body_html; // rendered and sanitised in Python
        const edit = h("button", "ar-answer-edit", "Edit answer");
        edit.addEventListener("click", () => this.answerForm(box, prompt, mine));
        nameFor(edit, card.getAttribute("aria-label") || prompt.id);
        box.append(status, shown, edit);
      } else {
        const open = h("button", "ar-answer-open", "Answer this prompt");
        open.addEventListener("click", () => this.answerForm(box, prompt, null));
        nameFor(open, card.getAttribute("aria-label") || prompt.id);
        box.append(status, open);
      }
    }
    return answered;
  }

  /**
   * What the class answered to `prompt`, for the instructor: how many students, and each
   * answer (of the student or group the list is filtered to, if any), oldest first.
   * @param {PromptPayload} prompt
   * @param {AnnotationView[]} all
   * @returns {HTMLElement[]}
   */
  classAnswers(prompt, all) {
    const answers = all
      .filter((a) => a.kind === "answer" && a.prompt === prompt.id)
      .sort((a, b) => a.author.localeCompare(b.author) || a.created.localeCompare(b.created));
    const who = new Set(answers.map((a) => a.author)).size;
    const filter = this.answersFilter();
    const shown = filter ? answers.filter(filter.passes) : answers;
    const count = who
      ? `${answers.length} answer${answers.length === 1 ? "" : "s"} from ${who} student${who === 1 ? "" : "s"}`
      : "No student has answered yet";
    const status = h("p", "ar-answer-status ar-class-count", count);
    if (!answers.length) return [status];
    if (filter) status.append(` · ${filter.label}: ${shown.length ? shown.length : "no answer"}`);
    const list = h("ol", "ar-class-answers");
    list.setAttribute("aria-label", `Answers to prompt ${this.lesson.prompts.indexOf(prompt) + 1}`);
    for (const a of shown) {
      const item = h("li", "ar-class-answer");
      const meta = h("p", "ar-card-meta");
      const time = h("time", "", shortTime(a.created));
      time.dateTime = a.created;
      meta.append(h("span", "ar-card-author", a.author), document.createTextNode(" · "), time);
      const body = h("div", "ar-answer-text");
      body.innerHTML = a.body_html; // rendered and sanitised in Python
      item.append(meta, body);
      list.append(item);
    }
    const more = h("details", "ar-class-answers-box");
    more.open = shown.length <= 3;
    more.append(h("summary", "", `Read the answers (${shown.length})`), list);
    return [status, more];
  }

  /**
   * @param {Element} box
   * @param {PromptPayload} prompt
   * @param {AnnotationView | null} mine
   */
  answerForm(box, prompt, mine) {
    const form = editor(this.where, {
      draftKey: `answer:${prompt.id}`,
      label: "Your answer",
      initial: mine?.body,
      saveLabel: mine ? "Update answer" : "Save answer",
      save: (body) =>
        mine
          ? this.channel.request({ type: "edit", id: mine.id, body })
          : this.channel.request({ type: "create", kind: "answer", prompt: prompt.id, body }),
      done: () => {
        form.remove();
        this.refresh(this.all);
        // Back to the prompt's button (Edit answer, or Answer), never to the page's body.
        /** @type {HTMLElement | null} */ (box.querySelector("button"))?.focus({ preventScroll: true });
      },
    });
    box.replaceChildren(form);
    focusEditor(form);
  }
}
