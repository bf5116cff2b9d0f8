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


def _translate_helpers():
    """(file, enclosing class or None, function name, context) of every ``translate("Ctx", text)`` helper."""
    import ast

    skip = {".venv", "tests", "devtools", "sampledata", "bench", "demo", "build", ".git"}
    for path in sorted(ROOT.rglob("*.py")):
        if skip & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [(None, node) for node in tree.body] + [
            (cls.name, node) for cls in tree.body if isinstance(cls, ast.ClassDef) for node in cls.body]
        for owner, node in scopes:
            if not isinstance(node, ast.FunctionDef):
                continue
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "translate" and \
                        len(call.args) == 2 and isinstance(call.args[0], ast.Constant) and \
                        isinstance(call.args[1], ast.Name):
                    yield path.relative_to(ROOT), owner, node.name, call.args[0].value


def test_translate_helpers_use_the_context_pylupdate_files_their_strings_under():
    """pylupdate files ``tr("…")`` under the enclosing class, or ``@default`` outside a class;
    a helper translating in another context would never find its translations at run time."""
    wrong = []
    for path, owner, name, context in _translate_helpers():
        if name != "tr":
            wrong.append(f"{path}: {name}() — pylupdate only extracts calls of tr()")
        elif context != (owner or "@default"):
            wrong.append(f"{path}: {owner or 'module'}.tr() translates in {context!r}, "
                         f"pylupdate files its strings under {owner or '@default'!r}")
    assert not wrong, "\n".join(wrong)
