// Validates every Kubernetes object of the files given against the Kubernetes API schemas (npm kubernetes-models):
// types, required fields, enums. Prints one line per object; exits 1 if any is invalid.
const fs = require('fs');
const YAML = require('yaml');
let invalid = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const o = doc.toJS();
    if (!o) continue;
    const where = `${file} ${o.kind} ${o.metadata && o.metadata.name}`;
    try {
      const models = require('kubernetes-models/' + o.apiVersion);
      if (!models[o.kind]) throw new Error(`no kind ${o.kind} in ${o.apiVersion}`);
      new models[o.kind](o).validate();
      console.log('valid ' + where);
    } catch (e) {
      invalid++;
      console.log('INVALID ' + where + ': ' + e.message);
    }
  }
}
process.exit(invalid ? 1 : 0);
