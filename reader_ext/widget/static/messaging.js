// Talking to the kernel. The kernel is the source of truth: every change is a request, which
// Python checks and stores before it answers `saved`, `deleted`, `recorded` or `error`; the
// answer carries the request's number back, which is how it finds its promise here. A snapshot
// arrives packed (reader_ext/widget/wire.py) and is unpacked here, in order with the rest.

/**
 * @import { AnyModel } from "@anywidget/types"
 * @import { AnnotationView, CreateMessage, DeleteMessage, EditMessage, GlossOpenMessage,
 *   HelloMessage, KernelMessage, ReaderState, Reply, RestoreMessage, SnapshotMessage,
 *   SnapshotTable } from "./protocol"
 */

/**
 * A packed snapshot's buffer (deflated JSON of a SnapshotTable) as the SnapshotMessage it is.
 * @param {ArrayBuffer | ArrayBufferView} buffer
 * @returns {Promise<SnapshotMessage>}
 */
export async function unpack(buffer) {
  const bytes = ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
  const stream = new Blob([/** @type {BlobPart} */ (bytes)]).stream().pipeThrough(new DecompressionStream("deflate"));
  const table = /** @type {SnapshotTable} */ (JSON.parse(await new Response(stream).text()));
  const { columns, rows, ...rest } = table;
  const annotations = rows.map(
    (row) =>
      /** @type {AnnotationView} */ (
        /** @type {unknown} */ (Object.fromEntries(columns.map((name, i) => [name, row[i]])))
      ),
  );
  return { ...rest, annotations };
}

/** @typedef {CreateMessage | EditMessage | DeleteMessage | RestoreMessage} Request */

export class Channel {
  /**
   * @param {AnyModel<ReaderState>} model
   * @param {(msg: KernelMessage) => void} onMessage every message from the kernel, first
   */
  constructor(model, onMessage) {
    this.model = model;
    this.onMessage = onMessage;
    /** @type {Map<number, (reply: Reply) => void>} */
    this.pending = new Map();
    this.nextReq = 1;
    /** Messages wait here while a snapshot before them is unpacked, so none overtakes it. */
    this.inbox = Promise.resolve();
    this.unpacking = 0;
  }

  /**
   * Send a message that needs no answer.
   * @param {HelloMessage | GlossOpenMessage} msg
   */
  send(msg) {
    this.model.send(msg);
  }

  /**
   * Send a request; resolves with the kernel's answer to it.
   * @param {Request} msg
   * @returns {Promise<Reply>}
   */
  request(msg) {
    const req = this.nextReq++;
    return new Promise((resolve) => {
      this.pending.set(req, resolve);
      this.model.send({ ...msg, req });
    });
  }

  /**
   * A message from the kernel (anywidget's `msg:custom`), with its binary buffers.
   * @param {unknown} msg
   * @param {(ArrayBuffer | ArrayBufferView)[]} [buffers]
   */
  receive(msg, buffers = []) {
    if (!msg || typeof msg !== "object" || !("type" in msg)) return;
    if (msg.type === "packed") {
      const [buffer] = buffers;
      if (!buffer) return;
      this.unpacking++;
      this.inbox = this.inbox
        .then(() => unpack(buffer))
        .then(
          (snapshot) => this.deliver(snapshot),
          (error) => console.error("Annotated Reader: a snapshot could not be unpacked", error),
        )
        .finally(() => this.unpacking--);
    } else if (this.unpacking) {
      this.inbox = this.inbox.then(() => this.deliver(/** @type {KernelMessage} */ (msg)));
    } else {
      this.deliver(/** @type {KernelMessage} */ (msg));
    }
  }

  /** @param {KernelMessage} message */
  deliver(message) {
    this.onMessage(message);
    if (message.type === "snapshot" || message.req === null) return;
    const resolve = this.pending.get(message.req);
    if (resolve) {
      this.pending.delete(message.req);
      resolve(message);
    }
  }

  /** Listen to the model; returns the function that stops listening. */
  connect() {
    const listener = (
      /** @type {unknown} */ msg,
      /** @type {(ArrayBuffer | ArrayBufferView)[] | undefined} */ buffers,
    ) => this.receive(msg, buffers);
    this.model.on("msg:custom", listener);
    return () => this.model.off("msg:custom", listener);
  }
}
