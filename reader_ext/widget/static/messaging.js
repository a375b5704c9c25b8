// Talking to the kernel. The kernel is the source of truth: every change is a request, which
// Python checks and stores before it answers `saved`, `deleted`, `recorded` or `error`; the
// answer carries the request's number back, which is how it finds its promise here. A snapshot
// arrives packed (reader_ext/widget/wire.py) and is unpacked here, in order with the rest.
//
// Nothing hangs and nothing is silent: a request that gets no answer in TIMEOUT_MS resolves as
// an error saying so, and a kernel that restarted or a comm that closed is noticed (ipywidgets'
// `comm_live_update` and `comm:close` events, or a send that throws) and said, to every request
// from then on and to whoever listens to `onState`.

/**
 * @import { AnyModel } from "@anywidget/types"
 * @import { AnnotationView, CreateMessage, DeleteMessage, EditMessage, ErrorMessage,
 *   GetRevealMessage, GlossOpenMessage, HelloMessage, KernelMessage, ReaderState, Reply,
 *   RestoreMessage, SetRevealMessage, SnapshotMessage, SnapshotTable } from "./protocol"
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
  const table = /** @type {SnapshotTable} */ (JSON.parse(await inflate(bytes)));
  const { columns, rows, ...rest } = table;
  const width = columns.length;
  // A loop, not Object.fromEntries per row: a quarter of the time at 10,000 annotations.
  const annotations = rows.map((row) => {
    /** @type {Record<string, unknown>} */
    const view = {};
    for (let i = 0; i < width; i++) view[/** @type {string} */ (columns[i])] = row[i];
    return /** @type {AnnotationView} */ (/** @type {unknown} */ (view));
  });
  return { ...rest, annotations };
}

/**
 * Deflated UTF-8 as text, by the browser's own inflate. The bytes are written straight into
 * the stream and its output decoded as it comes: through a Blob's stream and a Response, the
 * same 1.5 MB took two to three times as long in Chromium. Bad data rejects (from `read`).
 * @param {Uint8Array} bytes
 */
async function inflate(bytes) {
  const stream = new DecompressionStream("deflate");
  const writer = stream.writable.getWriter();
  // Their failures are the reader's too, and said there: not an unhandled rejection as well.
  writer.write(/** @type {Uint8Array<ArrayBuffer>} */ (bytes)).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    text += decoder.decode(part.value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * @typedef {CreateMessage | EditMessage | DeleteMessage | RestoreMessage | GetRevealMessage
 *   | SetRevealMessage} Request
 */
/** @typedef {"connected" | "lost"} ChannelState */

/** How long a request waits for the kernel's answer. A save is a few milliseconds. */
export const TIMEOUT_MS = 10_000;
export const KERNEL_LOST =
  "Not saved — the kernel restarted or stopped: run the cell again; your text is kept.";
export const NO_ANSWER =
  "Not saved — the kernel did not answer in 10 seconds (busy, or stopped): your text is kept; try again.";
// How long a probe (a `hello`) may take before a lost connection is believed.
const PROBE_MS = 4_000;

export class Channel {
  /**
   * @param {AnyModel<ReaderState>} model
   * @param {(msg: KernelMessage) => void} onMessage every message from the kernel, first
   * @param {{timeout?: number}} [options]
   */
  constructor(model, onMessage, options = {}) {
    this.model = model;
    this.onMessage = onMessage;
    this.timeout = options.timeout ?? TIMEOUT_MS;
    /** @type {Map<number, (reply: Reply) => void>} */
    this.pending = new Map();
    this.nextReq = 1;
    /** @type {ChannelState} */
    this.state = "connected";
    /** @type {(state: ChannelState, why: string) => void} */
    this.onState = () => {};
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.probeTimer = undefined;
    /** Messages wait here while a snapshot before them is unpacked, so none overtakes it. */
    this.inbox = Promise.resolve();
    this.unpacking = 0;
  }

  /**
   * Send a message that needs no answer. A comm that cannot send is noted, never thrown.
   * @param {HelloMessage | GlossOpenMessage} msg
   */
  send(msg) {
    this.trySend(msg);
  }

  /**
   * @param {object} msg
   * @returns {boolean} whether it went out
   */
  trySend(msg) {
    try {
      this.model.send(msg);
      return true;
    } catch {
      // JupyterLab's comm throws "Cannot send" once the kernel restarted or the comm closed.
      this.lose();
      return false;
    }
  }

  /**
   * Send a request; resolves with the kernel's answer to it, or with an error saying why there
   * was none (the kernel is gone, or it did not answer in time). Never rejects, never hangs.
   * @param {Request} msg
   * @returns {Promise<Reply>}
   */
  request(msg) {
    const req = this.nextReq++;
    if (this.state === "lost") return Promise.resolve(failure(req, KERNEL_LOST));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(req);
        resolve(failure(req, this.state === "lost" ? KERNEL_LOST : NO_ANSWER));
      }, this.timeout);
      this.pending.set(req, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      if (!this.trySend({ ...msg, req })) {
        clearTimeout(timer);
        this.pending.delete(req);
        resolve(failure(req, KERNEL_LOST));
      }
    });
  }

  /**
   * A message from the kernel (anywidget's `msg:custom`), with its binary buffers.
   * @param {unknown} msg
   * @param {(ArrayBuffer | ArrayBufferView)[]} [buffers]
   */
  receive(msg, buffers = []) {
    if (!msg || typeof msg !== "object" || !("type" in msg)) return;
    if (this.state === "lost" || this.probeTimer !== undefined) this.found();
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

  /** The kernel may be gone (ipywidgets said so): believe it unless a probe is answered. */
  suspect() {
    if (this.probeTimer !== undefined) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.lose();
    }, PROBE_MS);
    this.trySend({ type: "hello" });
  }

  /** The kernel is gone: every waiting request is answered so, and listeners are told. */
  lose() {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (this.state === "lost") return;
    this.state = "lost";
    for (const [req, resolve] of this.pending) resolve(failure(req, KERNEL_LOST));
    this.pending.clear();
    this.onState("lost", KERNEL_LOST);
  }

  /** The kernel answered after all. */
  found() {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (this.state === "connected") return;
    this.state = "connected";
    this.onState("connected", "");
  }

  /** Listen to the model; returns the function that stops listening. */
  connect() {
    const listener = (
      /** @type {unknown} */ msg,
      /** @type {(ArrayBuffer | ArrayBufferView)[] | undefined} */ buffers,
    ) => this.receive(msg, buffers);
    const suspect = () => this.suspect();
    const lose = () => this.lose();
    this.model.on("msg:custom", listener);
    // ipywidgets' own events on the model behind anywidget's: the manager marks every model's
    // comm not live when the kernel restarts, and a closed comm is closed for good.
    this.model.on("comm_live_update", suspect);
    this.model.on("comm:close", lose);
    return () => {
      this.model.off("msg:custom", listener);
      this.model.off("comm_live_update", suspect);
      this.model.off("comm:close", lose);
      clearTimeout(this.probeTimer);
    };
  }
}

/**
 * @param {number} req
 * @param {string} message
 * @returns {ErrorMessage}
 */
function failure(req, message) {
  return { type: "error", req, message };
}
