#!/usr/bin/env bash
# Update i18n/wpzf_zh_CN.ts from the sources (pylupdate5) and compile .qm (lrelease).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find . -name '*.py' -not -path './.venv/*' -not -path './.git/*' \
  | sed 's|^\./||' | grep -v -E '^(tests|devtools|sampledata|bench|demo|build)/' | sort)
pylupdate5 -noobsolete "${sources[@]}" -ts i18n/wpzf_zh_CN.ts
lrelease -silent i18n/wpzf_zh_CN.ts -qm i18n/wpzf_zh_CN.qm
