// Builds content/assets/playbook.js (what the site serves) from assets-src/playbook.js.
//   npm run build:js           write the built file
//   npm run check:js           exit 1 if the built file is not up to date
import { readFileSync, writeFileSync } from "node:fs";
import { minify } from "terser";

const source = new URL("./playbook.js", import.meta.url);
const target = new URL("../content/assets/playbook.js", import.meta.url);
const preamble =
  "/* Engagement Playbook exercise pages. Built from assets-src/playbook.js by `npm run build:js`: edit that file. */";

const { code } = await minify(readFileSync(source, "utf8"), {
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: { preamble, comments: false },
});
const built = code + "\n";

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== built) {
    console.error("content/assets/playbook.js is out of date: run `npm run build:js`");
    process.exit(1);
  }
} else {
  writeFileSync(target, built);
}
