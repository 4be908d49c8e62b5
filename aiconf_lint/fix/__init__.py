"""The fix engine: applies the `Fix` objects rules attach to their findings.

Modules, in the order data flows through them:

- `loop`: lint, pick the fixes the mode allows, apply, re-parse, re-lint, until stable.
- `apply`: per file, dry-run each fix on plain data, then edit only the changed documents.
- `ops`: the edit ops (set, add, merge, remove, append) and their preconditions.
- `slices`: cut a stream into per-document text slices with libyaml's marks.
- `yamlio`: the only ruamel import: identity-checked load, dump in the file's style.
- `merge`, `splice`: for documents that do not round-trip exactly, carry the edit onto the
  original lines, or replace scalar characters in place.
- `write`, `kustomize`, `summary`, `command`: the ways out and what the user reads.

Nothing here is imported by `check`, so ruamel costs nothing unless something is fixed.
"""

from __future__ import annotations
