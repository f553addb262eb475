"""Validates FHIR Bundles with someone else's code: the R4B models of fhir.resources (PyPI).

Reads a JSON object {"name": bundle, ...} on standard input, validates each bundle with
fhir.resources.R4B.bundle.Bundle (every entry's resource against its own model: elements,
types, cardinality, required fields, primitive formats), and prints one line per bundle:
"OK name: N entries (Patient 1, ...)" or "ERROR name: ..." with each error. Exits 0 when
every bundle is valid, 1 when one is not, 3 when fhir.resources is not installed.
"""
import json
import sys

try:
    import fhir.resources
    from fhir.resources.R4B.bundle import Bundle
except ImportError as e:  # pragma: no cover
    print(f"MISSING fhir.resources: {e}")
    sys.exit(3)

bundles = json.load(sys.stdin)
print(f"validator fhir.resources {fhir.resources.__version__} (R4B models)")
failed = 0
for name, raw in bundles.items():
    try:
        b = Bundle.model_validate(raw)
    except Exception as e:  # pydantic.ValidationError: every error, with its path
        failed += 1
        print(f"ERROR {name}: {e}")
        continue
    counts = {}
    for entry in b.entry or []:
        rt = entry.resource.get_resource_type()
        counts[rt] = counts.get(rt, 0) + 1
    what = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"OK {name}: {len(b.entry or [])} entries, 0 errors ({what})")
sys.exit(1 if failed else 0)
