"""Charts and overlays as input: render them, lint each render, map findings back to sources.

`targets` finds Helm charts and kustomize overlays among the paths given; `helm` and
`kustomize` render them in a subprocess with a timeout, offline and with nothing from the
checked repository executed; `helm_map` and `kustomize_map` turn a finding's position in the
render into the template, values, resource or patch line a user edits; `lint` ties it together
for the runner.
"""
