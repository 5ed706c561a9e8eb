// Bundle one self-contained ES module per top-level widget into cjm_jupyter/static/.
// `node build.mjs` writes the bundles; `node build.mjs --check` rebuilds in memory and
// fails when a shipped bundle differs from what the sources give (CI runs it).
import { build } from "esbuild";
import { mkdir, readFile, writeFile } from "node:fs/promises";
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
// Third-party scripts an exported notebook inlines (cjm_jupyter/sharing/assets.py): copied
// from the pinned npm packages so the wheel carries them and nothing is fetched at view time.
const sharedir = path.join(outdir, "share");
const pkgVersion = async (pkg) =>
  JSON.parse(await readFile(path.join(here, "node_modules", pkg, "package.json"), "utf8")).version;
const noSourceMaps = (text) => text.replace(/^\/\/# sourceMappingURL=.*$/gm, "");
const vendored = {
  "require.js": { pkg: "requirejs", file: "require.js", edit: (t) => t },
  "embed-amd.js": {
    pkg: "@jupyter-widgets/html-manager",
    file: "dist/embed-amd.js",
    edit: noSourceMaps, // a source map would be a request for a file the reader does not have
  },
  "anywidget.js": {
    pkg: "anywidget",
    file: "dist/index.js",
    // The AMD module is anonymous; inlined in a page it must carry its name for require.js.
    edit: (t) => {
      const anonymous = 'define(["@jupyter-widgets/base"], widget_default);';
      if (t.split(anonymous).length !== 2) throw new Error("anywidget's AMD define() changed shape");
      return t.replace(anonymous, 'define("anywidget", ["@jupyter-widgets/base"], widget_default);');
    },
  },
};
const versions = {};
for (const [name, { pkg, file, edit }] of Object.entries(vendored)) {
  versions[name] = { package: pkg, version: await pkgVersion(pkg) };
  const text = edit(await readFile(path.join(here, "node_modules", pkg, file), "utf8"));
  stale += await emit(path.join(sharedir, name), text);
}
stale += await emit(path.join(sharedir, "versions.json"), JSON.stringify(versions, null, 2) + "\n");

async function emit(target, text) {
  const shown = path.relative(path.join(here, ".."), target);
  if (check) {
    const shipped = await readFile(target, "utf8").catch(() => null);
    if (shipped === text) return 0;
    console.error(`stale: ${shown} differs from a fresh build`);
    return 1;
  }
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, text);
  console.log(`wrote ${shown} (${text.length} bytes)`);
  return 0;
}

process.exit(stale ? 1 : 0);
