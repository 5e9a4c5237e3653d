#!/usr/bin/env bash
# Offline check of deploy/k8s (no cluster needed; README.md says what it covers and what not).
#   deploy/k8s/check.sh
# 1. installs the check's pinned dependencies (npm ci) when they are missing or the lockfile changed;
# 2. checks base/ with check/check.mjs: schemas, unknown fields, cross-references, platform rules,
#    with base/secrets.env.example standing in for the git-ignored secrets.env;
# 3. when kubectl is on PATH, builds base/ with `kubectl kustomize` in a temporary copy (secrets.env
#    taken from the example, never from a real one) and checks that output too.
# Exits non-zero on any problem.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
check="$here/check"

if ! command -v node >/dev/null 2>&1; then
  echo "check.sh: node is required (Node.js 20 or later)" >&2
  exit 2
fi

# A copy of the lockfile that npm ci installed from marks node_modules as current.
stamp="$check/node_modules/.installed-package-lock.json"
if ! cmp -s "$check/package-lock.json" "$stamp" 2>/dev/null; then
  echo "Installing the check's dependencies (npm ci)"
  (cd "$check" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$check/package-lock.json" "$stamp"
fi

status=0
(cd "$check" && node check.mjs "$here/base") || status=$?

if command -v kubectl >/dev/null 2>&1; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cp -R "$here/base" "$tmp/base"
  cp "$here/base/secrets.env.example" "$tmp/base/secrets.env"
  echo
  echo "kubectl kustomize (kustomize $(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p'))"
  if kubectl kustomize "$tmp/base" >"$tmp/built.yaml" 2>"$tmp/kustomize.err"; then
    (cd "$check" && node check.mjs --built "$tmp/built.yaml") || status=$?
  else
    cat "$tmp/kustomize.err"
    echo "FAIL  kubectl kustomize could not build base/"
    status=1
  fi
else
  echo
  echo "kubectl is not on PATH: the kustomize build was not checked."
fi

if [ "$status" -eq 0 ]; then echo "deploy/k8s check: OK"; else echo "deploy/k8s check: FAILED"; fi
exit "$status"
