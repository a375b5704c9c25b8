// Bundle the widget's browser modules into the one ES module anywidget loads.
//
//   node scripts/bundle.mjs           write reader_ext/widget/static/dist/reader.js
//   node scripts/bundle.mjs --watch   rebuild on every change (with ANYWIDGET_HMR=1 in the
//                                     kernel, the widget reloads itself)
//   node scripts/bundle.mjs --check   fail if the committed bundle is not what would be written
//
// The bundle is committed so that `pip install -e .` (and a wheel) needs no node; `make check`
// runs --check so it cannot fall behind its sources.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = `${root}reader_ext/widget/static/reader.js`;
const outfile = `${root}reader_ext/widget/static/dist/reader.js`;

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: "esm",
  target: "es2022",
  // Minified: anywidget saves the module in every notebook that keeps its widget state, once
  // per Reader cell (issue 14). The readable sources are the modules beside it; --watch, for
  // development, writes them unminified.
  minify: true,
  legalComments: "none",
  charset: "utf8",
  banner: { js: "// Built by scripts/bundle.mjs from reader_ext/widget/static/*.js: do not edit." },
  logLevel: "warning",
};

const mode = process.argv[2];
if (mode === "--watch") {
  const context = await esbuild.context({ ...options, minify: false, logLevel: "info" });
  await context.watch();
} else if (mode === "--check") {
  const result = await esbuild.build({ ...options, write: false });
  const built = result.outputFiles[0]?.text ?? "";
  const committed = await readFile(outfile, "utf8").catch(() => "");
  if (built !== committed) {
    const name = outfile.slice(root.length);
    console.error(`${name} is out of date with its sources: run \`make bundle\` and commit it.`);
    process.exit(1);
  }
} else if (mode === undefined) {
  await esbuild.build(options);
} else {
  console.error("usage: node scripts/bundle.mjs [--watch | --check]");
  process.exit(2);
}
