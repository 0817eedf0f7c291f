// Copies the browser files the app serves from npm's node_modules (pinned by package-lock.json) into web/vendor/,
// each package with its licence: the console, GraphiQL and Swagger UI load scripts from our own origin only.
// Run by `make web` after `npm ci --ignore-scripts`; nothing is bundled or rewritten, files are copied as shipped.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "..", "web", "vendor");

// folder under web/vendor -> [npm package, files (a trailing * matches a prefix)]
const COPIES = {
  "graphql-ws": ["graphql-ws", ["dist/client.js", "dist/common-*"]],
  react: ["react", ["umd/react.production.min.js"]],
  "react-dom": ["react-dom", ["umd/react-dom.production.min.js"]],
  graphiql: ["graphiql", ["graphiql.min.js", "graphiql.min.css"]],
  "graphiql-explorer": ["@graphiql/plugin-explorer", ["dist/index.umd.js", "dist/style.css"]],
  "swagger-ui": ["swagger-ui-dist", ["swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css",
    "swagger-ui-bundle.js.LICENSE.txt", "swagger-ui-standalone-preset.js.LICENSE.txt", "NOTICE"]],
};

function expand(root, pattern) {
  if (!pattern.endsWith("*")) return [pattern];
  const folder = dirname(pattern);
  const prefix = pattern.slice(folder.length + 1, -1);
  return readdirSync(join(root, folder)).filter((n) => n.startsWith(prefix) && n.endsWith(".js"))
    .map((n) => join(folder, n));
}

rmSync(vendor, { recursive: true, force: true });
const versions = {};
for (const [target, [name, files]] of Object.entries(COPIES)) {
  const root = join(modules, name);
  const meta = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const out = join(vendor, target);
  mkdirSync(out, { recursive: true });
  for (const file of files.flatMap((f) => expand(root, f))) {
    if (!existsSync(join(root, file))) throw new Error(`${name}@${meta.version} has no ${file}: review tools/web/vendor.mjs`);
    copyFileSync(join(root, file), join(out, file.split("/").pop()));
  }
  const licences = readdirSync(root).filter((n) => /^(licen[cs]e|copying)/i.test(n));
  for (const file of licences) copyFileSync(join(root, file), join(out, file));
  if (licences.length === 0) {
    // Some packages ship no licence file; their package.json names the licence.
    writeFileSync(join(out, "LICENSE"), `${name}@${meta.version}: ${meta.license} licence (package.json; no licence file shipped).\n`);
  }
  versions[target] = `${name}@${meta.version}`;
}
writeFileSync(join(vendor, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`web/vendor: ${Object.values(versions).join(", ")}`);
