// Talking to the kernel. The kernel is the source of truth: every change is a request, which
// Python checks and stores before it answers `saved`, `deleted`, `recorded` or `error`; the
// answer carries the request's number back, which is how it finds its promise here.

/**
 * @import { AnyModel } from "@anywidget/types"
 * @import { CreateMessage, DeleteMessage, EditMessage, GlossOpenMessage, HelloMessage,
 *   KernelMessage, ReaderState, Reply, RestoreMessage } from "./protocol"
 */

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
   * A message from the kernel (anywidget's `msg:custom`).
   * @param {unknown} msg
   */
  receive(msg) {
    if (!msg || typeof msg !== "object" || !("type" in msg)) return;
    const message = /** @type {KernelMessage} */ (msg);
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
    const listener = (/** @type {unknown} */ msg) => this.receive(msg);
    this.model.on("msg:custom", listener);
    return () => this.model.off("msg:custom", listener);
  }
}
