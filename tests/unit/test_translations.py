"""zh_CN translation is complete, current and keeps every placeholder."""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "i18n" / "wpzf_zh_CN.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(ts)
    return {
        (ctx.find("name").text, m.find("source").text): m.find("translation")
        for ctx in tree.getroot().iter("context")
        for m in ctx.iter("message")
    }


def test_every_entry_is_translated_with_the_same_placeholders():
    messages = _messages(TS)
    assert messages, "no messages in the .ts file"
    problems = []
    for (context, source), translation in messages.items():
        if translation.get("type") in ("unfinished", "obsolete", "vanished") or not (translation.text or "").strip():
            problems.append(f"{context}: untranslated {source!r}")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation.text)):
            problems.append(f"{context}: placeholders differ in {source!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("pylupdate5") is None, reason="pylupdate5 (pyqt5-dev-tools) not installed")
def test_ts_file_holds_every_string_in_the_sources(tmp_path):
    skip = {".venv", "tests", "devtools", "sampledata", "bench", "demo", "build", ".git"}
    files = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts))
    fresh = tmp_path / "fresh.ts"
    subprocess.run(["pylupdate5", "-noobsolete", *files, "-ts", str(fresh)], cwd=ROOT, check=True,
                   capture_output=True)
    missing = set(_messages(fresh)) - set(_messages(TS))
    assert not missing, f"run `make translations` and translate: {sorted(missing)}"
