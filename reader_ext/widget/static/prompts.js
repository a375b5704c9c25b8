// Discussion prompts: each placed after the block it quotes, its quote marked in the text, and
// an answer box that shows the reader's answer or opens an editor for one.

/**
 * @import { AnnotationView, LessonPayload, PromptPayload } from "./protocol"
 * @import { Channel } from "./messaging.js"
 */
import { blockElement, h } from "./dom.js";
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
   *   announce: (text: string) => void}} where
   */
  constructor(where) {
    this.lesson = where.lesson;
    this.article = where.article;
    this.channel = where.channel;
    this.where = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    /** @type {AnnotationView[]} */
    this.all = [];
  }

  /**
   * Show each prompt's answer (or the button to write one); returns how many are answered.
   * @param {AnnotationView[]} all every annotation on the lesson
   */
  refresh(all) {
    this.all = all;
    let answered = 0;
    for (const prompt of this.lesson.prompts) {
      const card = /** @type {HTMLElement | null} */ (
        this.article.querySelector(`.ar-prompt[data-prompt="${CSS.escape(prompt.id)}"]`)
      );
      const box = card?.querySelector(".ar-answer");
      if (!card || !box) continue;
      const mine = all.find((a) => a.kind === "answer" && a.mine && a.prompt === prompt.id);
      if (mine) answered++;
      card.dataset.answered = String(Boolean(mine));
      if (box.querySelector("form")) continue; // being written or saved: never wipe it
      box.replaceChildren();
      const status = h("p", "ar-answer-status", mine ? "✓ Answered" : "Not answered yet");
      if (mine) {
        const shown = h("div", "ar-answer-text");
        shown.innerHTML = mine.body_html; // rendered and sanitised in Python
        const edit = h("button", "ar-answer-edit", "Edit answer");
        edit.addEventListener("click", () => this.answerForm(box, prompt, mine));
        box.append(status, shown, edit);
      } else {
        const open = h("button", "ar-answer-open", "Answer this prompt");
        open.addEventListener("click", () => this.answerForm(box, prompt, null));
        box.append(status, open);
      }
    }
    return answered;
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
