// Copies the explorer's (and the API docs') third-party libraries from node_modules into api/static/vendor
// (committed with their licences, so that the wheel holds them and `pip install .` serves a working
// explorer with no npm). scripts/setup.sh runs `npm run copy-assets`: after a version change in
// package.json, commit what it copied.
import { copyFileSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(web, "..", "static", "vendor");
const files = {
  "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
  "echarts.min.js": "echarts/dist/echarts.min.js",
  "codemirror/codemirror.js": "codemirror/lib/codemirror.js",
  "codemirror/codemirror.css": "codemirror/lib/codemirror.css",
  "codemirror/sparql.js": "codemirror/mode/sparql/sparql.js",
  "codemirror/cypher.js": "codemirror/mode/cypher/cypher.js",
  "codemirror/matchbrackets.js": "codemirror/addon/edit/matchbrackets.js",
  // the API's own docs, /docs (Swagger UI) and /redoc (api/app.py), served from here, not a CDN
  "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
  "swagger-ui/favicon-32x32.png": "swagger-ui-dist/favicon-32x32.png",
  "swagger-ui/LICENSE": "swagger-ui-dist/LICENSE",
  "swagger-ui/NOTICE": "swagger-ui-dist/NOTICE",
  "swagger-ui/swagger-ui-bundle.js.LICENSE.txt": "swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt",
  "redoc/redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
  "redoc/LICENSE": "redoc/LICENSE",
  "redoc/redoc.standalone.js.LICENSE.txt": "redoc/bundles/redoc.standalone.js.LICENSE.txt",
  "LICENSE.cytoscape": "cytoscape/LICENSE",
  "LICENSE.codemirror": "codemirror/LICENSE",
  "LICENSE.echarts": "echarts/LICENSE",
};
rmSync(vendor, { recursive: true, force: true });
for (const [to, from] of Object.entries(files)) {
  const source = join(web, "node_modules", from);
  if (!existsSync(source)) {
    console.error(`missing ${source}: run npm ci in api/web first`);
    process.exit(1);
  }
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
}
console.log(`copied ${Object.keys(files).length} files into ${vendor}`);
