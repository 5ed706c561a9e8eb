// Requests to the kernel: one message per edit, queued in order and never dropped.
// A reply {kind: "cjm-reply", request_id, ok, error} settles each request.

/**
 * @param {object} model anywidget model (send / on / off)
 * @param {() => void} onStatus called when the number of pending edits or the link changes
 */
export function createClient(model, onStatus = () => {}) {
  // Ids unique across views of one model: every view hears every reply.
  const base = Math.floor(Math.random() * 1e9) * 1e4;
  let counter = 0;
  const pending = new Map();
  const outbox = [];
  let offline = false;
  let timer = null;

  function flush() {
    while (outbox.length) {
      try {
        model.send(outbox[0]);
      } catch (err) {
        // No kernel (saved notebook, exported HTML) or a closed comm: keep the edit, retry.
        if (!offline) console.warn("cjm: cannot reach the kernel; edits wait", err);
        offline = true;
        onStatus();
        timer = timer || setTimeout(() => { timer = null; flush(); }, 2000);
        return;
      }
      outbox.shift();
    }
    if (offline) { offline = false; onStatus(); }
  }

  function onMessage(content) {
    if (!content || content.kind !== "cjm-reply") return;
    const entry = pending.get(content.request_id);
    if (!entry) return;
    pending.delete(content.request_id);
    onStatus();
    entry.resolve(content);
  }
  model.on("msg:custom", onMessage);

  return {
    /** Send {op, ...params}; resolves with the reply (never rejects). */
    request(op, params = {}) {
      counter += 1;
      const msg = { ...params, op, request_id: base + counter };
      return new Promise((resolve) => {
        pending.set(msg.request_id, { resolve, msg });
        outbox.push(msg);
        onStatus();
        if (!timer) flush();
      });
    },
    get pending() { return pending.size; },
    get offline() { return offline; },
    dispose() {
      model.off("msg:custom", onMessage);
      clearTimeout(timer);
    },
  };
}
