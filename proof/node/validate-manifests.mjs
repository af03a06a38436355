// Validates every object of a Kubernetes manifest file (YAML, several documents) offline against
// the Kubernetes OpenAPI schemas, with kubernetes-models (one class per apiVersion and kind).
//   node validate-manifests.mjs target/kubernetes/kubernetes.yml
// Prints one line per object (`ok apps/v1 Deployment name`); on any error, one line per problem
// naming the object and the field, and exit code 1. Exit code 2: the file cannot be read or parsed.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate-manifests.mjs <manifests.yml>");
  process.exit(2);
}

let documents;
try {
  documents = parseAllDocuments(readFileSync(file, "utf8"));
} catch (e) {
  console.error(`${file}: cannot read: ${e.message}`);
  process.exit(2);
}

let objects = 0;
let failures = 0;
for (const document of documents) {
  if (document.errors.length > 0) {
    console.error(`${file}: not valid YAML: ${document.errors[0].message}`);
    process.exit(2);
  }
  const object = document.toJS();
  if (object === null || object === undefined) {
    continue; // an empty document (a leading `---`)
  }
  objects++;
  const { apiVersion, kind } = object;
  const name = object.metadata?.name ?? "(no name)";
  const where = `${apiVersion} ${kind} ${name}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    console.error(`INVALID ${where}: apiVersion and kind must be strings`);
    failures++;
    continue;
  }
  // apps/v1 -> kubernetes-models/apps/v1/Deployment; the core group: v1 -> kubernetes-models/v1/Service.
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    console.error(`INVALID ${where}: kubernetes-models has no schema for this apiVersion and kind`);
    failures++;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`ok ${where}`);
  } catch (e) {
    console.error(`INVALID ${where}: ${e.message}`);
    failures++;
  }
}

if (objects === 0) {
  console.error(`${file}: no Kubernetes object in it`);
  process.exit(1);
}
if (failures > 0) {
  console.error(`${failures} of ${objects} objects in ${file} are not valid`);
  process.exit(1);
}
console.log(`${objects} objects valid in ${file}`);
