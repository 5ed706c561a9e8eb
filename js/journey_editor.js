// JourneyEditor front end (anywidget ESM): the map as an editable grid.
import baseCss from "./lib/base.css";
import css from "./journey_editor.css";
import { mountEditor } from "./lib/shell.js";
import { drawGrid } from "./journey/grid.js";

export default () => ({
  render({ model, el }) {
    return mountEditor({ model, el, css: baseCss + css, title: "Journey", draw: drawGrid });
  },
});
