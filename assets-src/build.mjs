// Builds the scripts the site serves (playbook/assets/*.js) from their readable sources
// in assets-src/.
//   npm run build:js           write the built files
//   npm run check:js           exit 1 if a built file is not up to date
import { readFileSync, writeFileSync } from "node:fs";
import { minify } from "terser";

const SCRIPTS = ["playbook", "print", "catalog", "planner"];
let stale = false;
for (const name of SCRIPTS) {
  const source = new URL(`./${name}.js`, import.meta.url);
  const target = new URL(`../playbook/assets/${name}.js`, import.meta.url);
  const preamble = `/* Engagement Playbook. Built from assets-src/${name}.js by \`npm run build:js\`: edit that file. */`;
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
      console.error(`playbook/assets/${name}.js is out of date: run \`npm run build:js\``);
      stale = true;
    }
  } else {
    writeFileSync(target, built);
  }
}
if (stale) process.exit(1);
