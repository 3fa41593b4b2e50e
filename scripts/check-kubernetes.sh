#!/usr/bin/env bash
# Validates Kubernetes manifests against the Kubernetes API schema with kubernetes-validate
# (PyPI, pinned; installed once into target/kubernetes-validate). Used by tests/deploy.rs.
#
#   scripts/check-kubernetes.sh deploy/kubernetes/sohoa-job.yaml
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/target/kubernetes-validate
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet kubernetes-validate==1.37.0 >&2
fi
# --strict: a field the schema does not know is an error too.
exec "$venv/bin/kubernetes-validate" --strict "$@"
