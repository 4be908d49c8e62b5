"""SARIF at scale and where its URIs point (GitHub must be able to place every result)."""

from __future__ import annotations

import time

from aiconf_lint.output import lines
from aiconf_lint.output.sarif import SarifOptions, render_sarif
from aiconf_lint.runner import lint_paths

POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: p{i}}}
spec:
  containers:
    - name: c
      image: x
      resources: {{limits: {{nvidia.com/gpu: 1}}}}
"""


def _report(tmp_path, count: int):  # type: ignore[no-untyped-def]
    path = tmp_path / f"many{count}.yaml"
    path.write_text("---\n".join(POD.format(i=i) for i in range(count)))
    return lint_paths([str(path)])


def test_sarif_splits_each_file_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = _report(tmp_path, 300)
    assert len(report.findings) == 300
    lines.text_lines.cache_clear()
    render_sarif(report, SarifOptions(root=tmp_path))
    assert lines.text_lines.cache_info().misses == 1


def test_sarif_render_time_is_linear_in_findings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    small, large = _report(tmp_path, 400), _report(tmp_path, 1600)

    def best(report) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(2):
            start = time.perf_counter()
            render_sarif(report, SarifOptions(root=tmp_path))
            times.append(time.perf_counter() - start)
        return min(times)

    # Linear is 4x; the quadratic version was 16x. The bound leaves room for a noisy machine.
    assert best(large) / best(small) < 9
