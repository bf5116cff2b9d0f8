#!/usr/bin/env bash
# Build dist/wpzf-<version>.zip: the plugin folder QGIS installs (no tests or dev tools).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' metadata.txt)
rm -rf build/wpzf && mkdir -p build/wpzf dist
git ls-files -z --cached --others --exclude-standard | grep -zv -E '^(tests|devtools|bench|sampledata|\.ci)/|^(Makefile|requirements-dev\.txt|pyproject\.toml|\.gitignore)$' \
  | xargs -0 -I{} cp --parents {} build/wpzf/
cp i18n/wpzf_zh_CN.qm build/wpzf/i18n/
(cd build && rm -f "../dist/wpzf-$version.zip" && zip -qr "../dist/wpzf-$version.zip" wpzf)
echo "dist/wpzf-$version.zip"
