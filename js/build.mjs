// Bundle one self-contained ES module per top-level widget into cjm_jupyter/static/.
// `node build.mjs` writes the bundles; `node build.mjs --check` rebuilds in memory and
// fails when a shipped bundle differs from what the sources give (CI runs it).
import { build } from "esbuild";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, "..", "cjm_jupyter", "static");
const entries = ["journey_editor", "persona_editor"];
const check = process.argv.includes("--check");

let stale = 0;
for (const name of entries) {
  const result = await build({
    entryPoints: [path.join(here, `${name}.js`)],
    bundle: true,
    format: "esm",
    target: "es2020",
    loader: { ".css": "text" }, // CSS goes into the Shadow DOM as text
    legalComments: "none",
    charset: "utf8",
    write: false,
    logLevel: "warning",
    banner: { js: `// Built from js/${name}.js by js/build.mjs; do not edit.` },
  });
  const text = result.outputFiles[0].text;
  const target = path.join(outdir, `${name}.js`);
  if (check) {
    const shipped = await readFile(target, "utf8").catch(() => null);
    if (shipped !== text) {
      console.error(`stale: cjm_jupyter/static/${name}.js differs from a fresh build of js/${name}.js`);
      stale += 1;
    }
  } else {
    await writeFile(target, text);
    console.log(`wrote cjm_jupyter/static/${name}.js (${text.length} bytes)`);
  }
}
process.exit(stale ? 1 : 0);
