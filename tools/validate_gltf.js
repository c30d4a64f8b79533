// Validates .glb files with the Khronos glTF Validator (npm gltf-validator).
// Usage: node tools/validate_gltf.js FILE.glb [...]
// Prints one JSON line per file: {file, errors, warnings, infos, messages};
// exits 1 when any file has an error.
"use strict";
const fs = require("fs");
const path = require("path");
const validator = require(path.join(__dirname, "..", "node_modules", "gltf-validator"));

async function main(files) {
  let failed = false;
  for (const file of files) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    const report = await validator.validateBytes(bytes, {
      uri: path.basename(file),
      maxIssues: 50,
      externalResourceFunction: () => Promise.reject(new Error("no external resources")),
    });
    const issues = report.issues;
    const messages = issues.messages
      .filter((m) => m.severity <= 1)
      .map((m) => `${["error", "warning"][m.severity]} ${m.code} ${m.pointer || ""}: ${m.message}`);
    if (issues.numErrors > 0) failed = true;
    console.log(JSON.stringify({
      file, errors: issues.numErrors, warnings: issues.numWarnings,
      infos: issues.numInfos, messages,
    }));
  }
  process.exit(failed ? 1 : 0);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`validate_gltf: ${err.message}`);
  process.exit(2);
});
