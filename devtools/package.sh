#!/usr/bin/env bash
# Build dist/wpzf-<version>.zip: the plugin folder QGIS installs (no tests or dev tools).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' metadata.txt)
rm -rf build/wpzf && mkdir -p build/wpzf dist
# Tracked and new files of the working tree; a tracked file deleted or moved but not yet committed is skipped.
git ls-files -z --cached --others --exclude-standard | grep -zv -E '^(tests|devtools|bench|sampledata|\.ci)/|^(Makefile|requirements-dev\.txt|pyproject\.toml|\.gitignore)$' \
  | while IFS= read -r -d '' file; do [[ -e $file ]] && printf '%s\0' "$file"; done \
  | xargs -0 -I{} cp --parents {} build/wpzf/
cp i18n/wpzf_zh_CN.qm build/wpzf/i18n/
(cd build && rm -f "../dist/wpzf-$version.zip" && zip -qr "../dist/wpzf-$version.zip" wpzf)
echo "dist/wpzf-$version.zip"
