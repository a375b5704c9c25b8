// Requests and their answers: each reply finds its own promise by its `req`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deflateSync } from "node:zlib";
import { Channel, KERNEL_LOST, unpack } from "../../reader_ext/widget/static/messaging.js";

/** A stand-in for anywidget's model: records what is sent, delivers what the kernel says. */
function fakeModel() {
  /** @type {unknown[]} */
  const sent = [];
  /** @type {{name: string, callback: (msg: unknown, buffers?: Uint8Array[]) => void}[]} */
  const listeners = [];
  const model = {
    sent,
    broken: false,
    /** @param {unknown} msg */
    send: (msg) => {
      if (model.broken) throw new Error("Cannot send");
      sent.push(msg);
    },
    /** @param {string} name @param {(msg: unknown, buffers?: Uint8Array[]) => void} callback */
    on: (name, callback) => listeners.push({ name, callback }),
    /** @param {string} name @param {(msg: unknown, buffers?: Uint8Array[]) => void} callback */
    off: (name, callback) =>
      listeners.splice(
        listeners.findIndex((l) => l.name === name && l.callback === callback),
        1,
      ),
    /** @param {unknown} msg @param {Uint8Array[]} [buffers] */
    deliver: (msg, buffers) => model.emit("msg:custom", msg, buffers),
    /** @param {string} name @param {unknown} [msg] @param {Uint8Array[]} [buffers] */
    emit: (name, msg, buffers) =>
      listeners.filter((l) => l.name === name).forEach((l) => l.callback(msg, buffers)),
    listeners,
  };
  return model;
}

/** @param {ReturnType<typeof fakeModel>} model */
const asModel = (model) =>
  /** @type {import("@anywidget/types").AnyModel<any>} */ (/** @type {unknown} */ (model));

test("a request is numbered and resolved by the answer with its number", async () => {
  const model = fakeModel();
  /** @type {unknown[]} */
  const seen = [];
  const channel = new Channel(asModel(model), (msg) => seen.push(msg.type));
  const stop = channel.connect();
  const first = channel.request({ type: "delete", id: "a" });
  const second = channel.request({ type: "delete", id: "b" });
  assert.deepEqual(model.sent, [
    { type: "delete", id: "a", req: 1 },
    { type: "delete", id: "b", req: 2 },
  ]);
  model.deliver({ type: "deleted", req: 2, id: "b" });
  model.deliver({ type: "error", req: 1, message: "Nope." });
  assert.deepEqual(await second, { type: "deleted", req: 2, id: "b" });
  assert.deepEqual(await first, { type: "error", req: 1, message: "Nope." });
  assert.deepEqual(seen, ["deleted", "error"]);
  assert.equal(channel.pending.size, 0);
  stop();
  assert.equal(model.listeners.length, 0);
});

test("pushes reach the listener; what is not a message is ignored", () => {
  const model = fakeModel();
  /** @type {unknown[]} */
  const seen = [];
  const channel = new Channel(asModel(model), (msg) => seen.push(msg.type));
  channel.receive({ type: "snapshot", req: null, user: "ana", annotations: [] });
  channel.receive(null);
  channel.receive("saved");
  channel.receive({ no: "type" });
  channel.receive({ type: "saved", req: 99, annotation: {} }); // no such request: still shown
  assert.deepEqual(seen, ["snapshot", "saved"]);
});

test("a message that needs no answer is sent as it is", () => {
  const model = fakeModel();
  const channel = new Channel(asModel(model), () => {});
  channel.send({ type: "gloss-open", key: "eaeu" });
  assert.deepEqual(model.sent, [{ type: "gloss-open", key: "eaeu" }]);
});

test("a request the kernel never answers resolves as an error, not a hang", async () => {
  const model = fakeModel();
  const channel = new Channel(asModel(model), () => {}, { timeout: 20 });
  channel.connect();
  const answer = await channel.request({ type: "delete", id: "a" });
  assert.equal(answer.type, "error");
  assert.match(answer.type === "error" ? answer.message : "", /did not answer.*text is kept/);
  assert.equal(channel.pending.size, 0);
});

test("a comm that cannot send (kernel restarted) answers at once, and says so", async () => {
  const model = fakeModel();
  /** @type {string[]} */
  const states = [];
  const channel = new Channel(asModel(model), () => {});
  channel.onState = (state) => states.push(state);
  model.broken = true;
  const answer = await channel.request({ type: "delete", id: "a" });
  assert.deepEqual(answer, { type: "error", req: 1, message: KERNEL_LOST });
  assert.deepEqual(states, ["lost"]);
  // Later requests are refused without trying, with the same words.
  assert.deepEqual(await channel.request({ type: "delete", id: "b" }), {
    type: "error",
    req: 2,
    message: KERNEL_LOST,
  });
});

test("ipywidgets' comm_live_update starts a probe; an answer clears the suspicion", async () => {
  const model = fakeModel();
  /** @type {string[]} */
  const states = [];
  const channel = new Channel(asModel(model), () => {});
  channel.onState = (state) => states.push(state);
  const stop = channel.connect();
  model.emit("comm_live_update");
  assert.deepEqual(model.sent, [{ type: "hello" }]);
  model.deliver({ type: "snapshot", req: null, user: "ana", annotations: [] });
  assert.equal(channel.state, "connected");
  assert.equal(channel.probeTimer, undefined);
  // A closed comm is lost for good, and a waiting request hears it at once.
  const waiting = channel.request({ type: "delete", id: "a" });
  model.emit("comm:close");
  assert.deepEqual(await waiting, { type: "error", req: 1, message: KERNEL_LOST });
  assert.deepEqual(states, ["lost"]);
  stop();
  assert.equal(model.listeners.length, 0);
});


/** A snapshot as reader_ext/widget/wire.py packs it: its table's JSON, deflated (zlib). */
function packed() {
  const table = {
    type: "snapshot",
    req: null,
    user: "ana",
    lesson: null,
    columns: ["id", "kind", "tags", "start"],
    rows: [
      ["a", "note", ["x"], 3],
      ["b", "reply", [], null],
    ],
  };
  return deflateSync(Buffer.from(JSON.stringify(table), "utf-8"));
}

test("a snapshot whose text is split across inflated chunks keeps every character", async () => {
  // Far more than one output chunk of the inflate, with characters of 2 to 4 UTF-8 bytes that
  // a chunk boundary can cut in two.
  const rows = Array.from({ length: 3000 }, (_, i) => [`n${i}`, "note", ["ç", "日本"], i, "😀 — ï"]);
  const table = { type: "snapshot", req: 4, columns: ["id", "kind", "tags", "start", "body"], rows };
  const snapshot = await unpack(deflateSync(Buffer.from(JSON.stringify(table), "utf-8")));
  assert.equal(snapshot.annotations.length, 3000);
  assert.deepEqual(snapshot.annotations[2999], {
    id: "n2999",
    kind: "note",
    tags: ["ç", "日本"],
    start: 2999,
    body: "😀 — ï",
  });
});

test("a corrupted snapshot rejects, and nothing else fails unhandled", async () => {
  const broken = Uint8Array.from(packed()).subarray(0, 20);
  await assert.rejects(unpack(broken));
  await assert.rejects(unpack(Uint8Array.from([1, 2, 3, 4, 5, 6])));
});

test("a packed snapshot is unpacked into annotation views", async () => {
  const snapshot = await unpack(packed());
  assert.deepEqual(snapshot, {
    type: "snapshot",
    req: null,
    user: "ana",
    lesson: null,
    annotations: [
      { id: "a", kind: "note", tags: ["x"], start: 3 },
      { id: "b", kind: "reply", tags: [], start: null },
    ],
  });
});

test("what follows a packed snapshot waits for it: nothing overtakes it", async () => {
  const model = fakeModel();
  /** @type {string[]} */
  const seen = [];
  const channel = new Channel(asModel(model), (msg) =>
    seen.push(msg.type === "snapshot" ? `snapshot of ${msg.annotations.length}` : msg.type),
  );
  const stop = channel.connect();
  const asked = channel.request({ type: "delete", id: "a" });
  const bytes = packed();
  // As a browser receives a buffer: a view on part of a larger ArrayBuffer.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  model.deliver({ type: "packed", req: null }, [/** @type {any} */ (view)]);
  model.deliver({ type: "deleted", req: 1, id: "a" });
  assert.deepEqual(seen, []); // still unpacking
  assert.deepEqual(await asked, { type: "deleted", req: 1, id: "a" });
  assert.deepEqual(seen, ["snapshot of 2", "deleted"]);
  model.deliver({ type: "recorded", req: null });
  assert.deepEqual(seen, ["snapshot of 2", "deleted", "recorded"]);
  stop();
});
