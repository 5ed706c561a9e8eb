// Journey details: name, kind, scenario, description, version, owner and review date of the
// map, one field per message. updated_at is the journey's own: never sent, never edited.
import { h } from "../lib/dom.js";
import { dateField, selectField, textField } from "../lib/fields.js";
import { journeyKinds, titleLabel } from "../lib/specs.js";

function commit(ctx, field) {
  return (value, raw) => ctx.edit("update_meta", { field, value }, { key: `meta:${field}`, value: raw });
}

/** The journey details panel above the grid. */
export function metaPanel(ctx) {
  const meta = ctx.snapshot.journey || {};
  // The kinds come from Python (specs): "current_state" reads "Current state". A kind not
  // among them still shows as itself (selectField), rather than silently reading as another.
  const choices = journeyKinds(ctx);
  const kind = meta.kind ?? choices[0];
  const kinds = choices.map((k) => [k, titleLabel(k)]);
  return h("section", { class: "cjm-meta", "aria-label": "Journey details" }, [
    h("div", { class: "cjm-row" }, [
      textField({ key: "meta:name", value: meta.name, label: "Journey name", cls: "cjm-meta-name", onCommit: commit(ctx, "name") }),
      selectField({ key: "meta:kind", value: kind, label: "Journey kind", options: kinds, cls: "cjm-meta-kind", onCommit: commit(ctx, "kind") }),
    ]),
    textField({ key: "meta:scenario", value: meta.scenario, label: "Journey scenario", multiline: true, onCommit: commit(ctx, "scenario") }),
    textField({ key: "meta:description", value: meta.description, label: "Journey description", multiline: true, onCommit: commit(ctx, "description") }),
    h("div", { class: "cjm-row cjm-meta-keeping" }, [
      textField({ key: "meta:version", value: meta.version, label: "Journey version", cls: "cjm-meta-version", onCommit: commit(ctx, "version") }),
      textField({ key: "meta:owner", value: meta.owner, label: "Journey owner", cls: "cjm-meta-owner", onCommit: commit(ctx, "owner") }),
      dateField({ key: "meta:reviewed_at", value: meta.reviewed_at, label: "Journey last reviewed", cls: "cjm-meta-reviewed", onCommit: commit(ctx, "reviewed_at") }),
    ]),
  ]);
}
