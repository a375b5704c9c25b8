// Generated from reader_ext/widget/protocol.py by
//   python -m reader_ext.widget.typescript > reader_ext/widget/static/protocol.d.ts
// Do not edit: `make check` and tests/test_widget.py fail when it is not what they make.

export type AnnotationKind = "highlight" | "note" | "reply" | "answer" | "comment-reply";

export type ViewKind = "highlight" | "note" | "reply" | "answer" | "comment-reply" | "lesson-note";

export type Placement = "position" | "quote" | "fuzzy" | "orphan";

export type Mode = "student" | "instructor";

export type Visibility = "private" | "group" | "class" | "instructors";

export type Cell = string | number | boolean | string[] | null;

export interface SourcePayload {
  title: string | null;
  author: string | null;
  venue: string | null;
  date: string | null;
  url: string | null;
  certainty: string | null;
}

export interface LinkPayload {
  title: string;
  url: string;
}

export interface GlossPayload {
  key: string;
  term: string;
  definition_html: string;
  note_html: string | null;
  original: string | null;
  original_lang: string | null;
  transliteration: string | null;
  as_of: string | null;
  sources: LinkPayload[];
  count: number;
}

/**
 * A block of the reading: its `data-block` id and its code-point range in the text.
 */
export interface BlockPayload {
  id: string;
  start: number;
  end: number;
}

export interface PromptPayload {
  id: string;
  quote: string;
  question_html: string;
  bloom: string;
  kind: string;
  start: number;
  end: number;
  block: string;
}

export interface CommentPayload {
  id: string;
  author: string;
  html: string;
}

export interface LessonPayload {
  uri: string;
  id: string;
  title: string;
  summary: string;
  level: string;
  minutes: number;
  objectives: string[];
  source: SourcePayload;
  intro_html: string | null;
  html: string;
  text_hash: string;
  blocks: BlockPayload[];
  glossary: GlossPayload[];
  prompts: PromptPayload[];
  comments: CommentPayload[];
}

/**
 * The widget's synced traits (`Reader.mode`, `.notice`).
 *
 * Saved into the notebook with "save widget state", so nothing personal and nothing large is one:
 * the lesson and the reader's name come in the `snapshot` that answers `hello`
 * (:class:`SnapshotMessage`).
 */
export interface ReaderState {
  mode: Mode;
  notice: string;
}

/**
 * One annotation as the reader shows it (built from the stored W3C annotation).
 *
 * `body` is the Markdown source (only of one's own, for editing); `body_html` is rendered and
 * sanitised in Python. `start`/`end` are code points in the current text, null for an orphan or a
 * reply; `anchor` is null for replies and answers. `reply_to`, `prompt` and `comment` name what a
 * reply, an answer or a comment reply answers; a `lesson-note` has none of them (it is about the
 * whole lesson).
 */
export interface AnnotationView {
  id: string;
  kind: ViewKind;
  author: string;
  mine: boolean;
  created: string;
  modified: string;
  body: string;
  body_html: string;
  tags: string[];
  quote: string | null;
  start: number | null;
  end: number | null;
  anchor: Placement | null;
  reply_to: string | null;
  prompt: string | null;
  comment: string | null;
  visibility: Visibility | null;
  for_group: string | null;
  for_student: string | null;
}

/**
 * One choice of who sees a new note, in class mode: what the service lets this reader post to (the
 * course's visibilities, their discussion groups). `default` marks the course's default; the
 * service checks every choice again.
 */
export interface AudienceChoice {
  visibility: Visibility;
  group: string | null;
  label: string;
  default: boolean;
}

/**
 * Class mode: what hides classmates' notes from this student now (the lesson's *hide until
 * posted*): the notes or answers it takes (`after_posts`, null for none), how many they have
 * posted, and the reveal time (ISO 8601, null for none).
 */
export interface HiddenPayload {
  after_posts: number | null;
  own_posts: number;
  at: string | null;
}

/**
 * A discussion group (a Hub group with the course's prefix) and its students.
 */
export interface SectionPayload {
  name: string;
  students: string[];
}

/**
 * Who is in the course, for an instructor's reader in class mode, from the Hub's groups: the
 * instructor filters by student and group, and writes 1:1 to a student. `complete` is false when
 * the service could only list the members it has met.
 */
export interface RosterPayload {
  students: string[];
  groups: SectionPayload[];
  complete: boolean;
}

/**
 * Sent once the widget is shown; answered by a `snapshot`.
 */
export interface HelloMessage {
  type: "hello";
}

/**
 * A new annotation: `start`/`end` (code points) for a highlight or a note, `reply_to` (an
 * annotation id) for a reply, `prompt` for an answer, `comment` for a reply to a published reader
 * comment. Answered by `saved` or `error`.
 */
export interface CreateMessage {
  type: "create";
  kind: AnnotationKind;
  req?: number;
  body?: string;
  tags?: string[];
  start?: number;
  end?: number;
  reply_to?: string;
  prompt?: string;
  comment?: string;
  visibility?: string;
  group?: string;
  student?: string;
}

/**
 * New body and tags for one's own annotation; answered by `saved` or `error`.
 */
export interface EditMessage {
  type: "edit";
  id: string;
  req?: number;
  body?: string;
  tags?: string[];
}

/**
 * Soft-delete one's own annotation; answered by `deleted` or `error`.
 */
export interface DeleteMessage {
  type: "delete";
  id: string;
  req?: number;
}

/**
 * Undo a delete; answered by `saved` or `error`.
 */
export interface RestoreMessage {
  type: "restore";
  id: string;
  req?: number;
}

/**
 * A gloss was opened (recorded as a private event); answered by `recorded`.
 */
export interface GlossOpenMessage {
  type: "gloss-open";
  key: string;
  req?: number;
}

/**
 * Class mode: a lesson's *hide until posted*. Classmates' notes reach a student once they have
 * posted `after_posts` notes or answers there, or from `at` (ISO 8601 with its offset), whichever
 * comes first; both null: at once.
 */
export interface RevealSetting {
  after_posts: number | null;
  at: string | null;
}

/**
 * An instructor in class mode asks the lesson's :class:`RevealSetting`; answered by `reveal` or
 * `error`.
 */
export interface GetRevealMessage {
  type: "get-reveal";
  req?: number;
}

/**
 * An instructor in class mode sets the lesson's :class:`RevealSetting` (the class service refuses
 * anyone else); answered by `reveal` or `error`. Students' readers follow live.
 */
export interface SetRevealMessage {
  type: "set-reveal";
  after_posts: number | null;
  at: string | null;
  req?: number;
}

/**
 * Every live annotation on the lesson, anchored in the current text. The answer to `hello` carries
 * the `lesson` too; a live update (a classmate wrote) has `lesson` null.
 *
 * It travels as a :class:`PackedSnapshot`; the browser's channel unpacks it into this.
 */
export interface SnapshotMessage {
  type: "snapshot";
  req: number | null;
  user: string;
  lesson: LessonPayload | null;
  annotations: AnnotationView[];
  audiences: AudienceChoice[];
  roster: RosterPayload | null;
  hidden: HiddenPayload | null;
}

/**
 * A :class:`SnapshotMessage` with its annotations as a table: `columns` names the fields of an
 * :class:`AnnotationView`, each of `rows` is one annotation's values in that order.
 */
export interface SnapshotTable {
  type: "snapshot";
  req: number | null;
  user: string;
  lesson: LessonPayload | null;
  audiences: AudienceChoice[];
  roster: RosterPayload | null;
  hidden: HiddenPayload | null;
  columns: string[];
  rows: Cell[][];
}

/**
 * How a snapshot crosses the comm: this message, and in its one binary buffer the
 * :class:`SnapshotTable` as UTF-8 JSON, deflated (zlib, the Compression Streams API's `"deflate"`).
 * A quarter of the bytes of the plain JSON, for 10,000 annotations.
 */
export interface PackedSnapshot {
  type: "packed";
  req: number | null;
}

/**
 * The annotation as stored, after `create`, `edit` or `restore`.
 */
export interface SavedMessage {
  type: "saved";
  req: number | null;
  annotation: AnnotationView;
}

export interface DeletedMessage {
  type: "deleted";
  req: number | null;
  id: string;
}

export interface RecordedMessage {
  type: "recorded";
  req: number | null;
}

/**
 * The lesson's :class:`RevealSetting`, as the class service holds it now.
 */
export interface RevealMessage {
  type: "reveal";
  req: number | null;
  reveal: RevealSetting;
}

/**
 * A refused message: `message` says what to fix, for the reader to read.
 */
export interface ErrorMessage {
  type: "error";
  req: number | null;
  message: string;
}

export type BrowserMessage =
  | HelloMessage
  | CreateMessage
  | EditMessage
  | DeleteMessage
  | RestoreMessage
  | GlossOpenMessage
  | GetRevealMessage
  | SetRevealMessage;

export type Reply = SavedMessage | DeletedMessage | RecordedMessage | RevealMessage | ErrorMessage;

export type KernelMessage =
  | SnapshotMessage
  | SavedMessage
  | DeletedMessage
  | RecordedMessage
  | RevealMessage
  | ErrorMessage;

export type WireMessage =
  | PackedSnapshot
  | SavedMessage
  | DeletedMessage
  | RecordedMessage
  | RevealMessage
  | ErrorMessage;
