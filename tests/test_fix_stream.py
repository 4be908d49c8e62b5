"""Stream mode (`fix -`, a Helm post-renderer) re-emits a document whose layout cannot be kept,
where file mode skips it: the stream goes to the API server, not back into a user's file."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import Runner

# Trailing spaces on the very line the migration rewrites: no layout-keeping edit exists.
AWKWARD = (
    "---\n"
    "# Source: serving/templates/deployment.yaml\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: server\n"
    "spec:\n"
    "  selector: {matchLabels: {app: server}}\n"
    "  template:\n"
    "    metadata: {labels: {app: server}}\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: server\n"
    "          image: vllm/vllm-openai:v0.6.3\n"
    "          command:\n"
    "            - /bin/sh\n"
    "            - -c\n"
    "            - |\n"
    "              echo start\n"
    "  \n"
    "              vllm serve /models/llama\n"
    "          resources:\n"
    "            limits:   \n"
    "              nvidia.com/gpu: 1\n"
)


def test_stream_mode_reformats_rather_than_skips(run: Runner) -> None:
    result = run("fix", "-", "--unsafe-fixes", "--select", "ACC001", stdin=AWKWARD.encode())
    assert result.code == 0, result.err
    deployment, claim_template = list(yaml.safe_load_all(result.out))
    before = yaml.safe_load(AWKWARD)
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == before["spec"]["template"]["spec"]["containers"][0]["command"]
    assert container["resources"] == {"claims": [{"name": "server-gpu"}]}
    assert claim_template["kind"] == "ResourceClaimTemplate"


def test_file_mode_keeps_the_lines_ruamel_would_change(run: Runner, tmp_path: Path) -> None:
    # The whitespace-only line in the block scalar and the other lines stay as they were; only
    # the edited lines are new.
    target = tmp_path / "rendered.yaml"
    target.write_text(AWKWARD)
    result = run("fix", str(target), "--unsafe-fixes", "--select", "ACC001", "--force-rendered")
    assert result.code == 0, result.err
    fixed = target.read_text()
    head = AWKWARD[: AWKWARD.index("            limits:")]
    assert fixed.startswith(head)
    deployment, claim_template = list(yaml.safe_load_all(fixed))
    assert deployment["spec"]["template"]["spec"]["containers"][0]["resources"] == {
        "claims": [{"name": "server-gpu"}]
    }
    assert claim_template["kind"] == "ResourceClaimTemplate"
