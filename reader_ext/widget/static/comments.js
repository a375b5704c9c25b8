// The reader comments published with the article, shown verbatim after it, each with a reply
// button and the thread of the class's replies to it.

/**
 * @import { AnnotationView, CommentPayload, LessonPayload } from "./protocol"
 * @import { Cards } from "./cards.js"
 * @import { Channel } from "./messaging.js"
 */
import { excerpt, nameFor } from "./a11y.js";
import { h } from "./dom.js";
import { editor, focusEditor } from "./editor.js";

/**
 * @param {CommentPayload[]} comments
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

export class Comments {
  /**
   * @param {{lesson: LessonPayload, uid: string, channel: Channel,
   *   announce: (text: string) => void}} where
   * @param {Cards} cards
   */
  constructor(where, cards) {
    this.cards = cards;
    this.el = renderComments(where.lesson.comments, where.uid);
    const editorWhere = { uri: where.lesson.uri, uid: where.uid, announce: where.announce };
    for (const item of this.items()) {
      const id = item.dataset.comment || "";
      const reply = h("button", "ar-comment-reply", "Reply");
      const author = item.querySelector(".ar-comment-author")?.textContent || "a reader";
      const said = excerpt(item.querySelector(".ar-comment-body")?.textContent || "", 40);
      nameFor(reply, `${author}’s comment, “${said}”`);
      reply.addEventListener("click", () => {
        const form = editor(editorWhere, {
          draftKey: `comment:${id}`,
          label: "Reply to this reader comment",
          save: (body) =>
            where.channel.request({ type: "create", kind: "comment-reply", comment: id, body }),
          done: (saved) => {
            form.remove();
            // To the saved reply, or back to the button: never to the page's body.
            const anno = saved?.type === "saved" ? CSS.escape(saved.annotation.id) : "";
            const card = anno ? item.querySelector(`.ar-card[data-anno="${anno}"]`) : null;
            /** @type {HTMLElement} */ (card ?? reply).focus({ preventScroll: true });
          },
        });
        reply.after(form);
        focusEditor(form);
      });
      item.append(reply, h("ol", "ar-comment-replies"));
    }
  }

  items() {
    return /** @type {HTMLElement[]} */ ([...this.el.querySelectorAll(".ar-comment")]);
  }

  /** @param {AnnotationView[]} all every annotation on the lesson */
  refresh(all) {
    for (const item of this.items()) {
      const thread = item.querySelector(".ar-comment-replies");
      if (!thread) continue;
      const replies = all.filter((a) => a.kind === "comment-reply" && a.comment === item.dataset.comment);
      thread.replaceChildren(...replies.map((a) => this.cards.card(a, 1)));
    }
  }
}
