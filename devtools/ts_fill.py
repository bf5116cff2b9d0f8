"""Fill translations into a Qt .ts file from a Python dict file {source: translation}.

Usage: python3 devtools/ts_fill.py i18n/wpzf_zh_CN.ts NEW_TRANSLATIONS.py
Only entries whose source matches are touched; they lose type="unfinished". Then
devtools/translations.sh runs, so the file is written in pylupdate5's own style (as
``make test`` rewrites it) and the .qm is compiled: no format-only diffs later.
"""
from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(ts_path: str, dict_path: str) -> int:
    table = ast.literal_eval(open(dict_path, encoding="utf-8").read())
    tree = ET.parse(ts_path)
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.find("source").text
        if source in table:
            translation = message.find("translation")
            translation.text = table[source]
            translation.attrib.pop("type", None)
            filled += 1
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    with open(ts_path, encoding="utf-8") as fh:
        text = fh.read()
    if "<!DOCTYPE TS>" not in text:
        text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
        with open(ts_path, "w", encoding="utf-8") as fh:
            fh.write(text)
    print(f"filled {filled} of {len(table)}")
    subprocess.run(["bash", str(Path(__file__).with_name("translations.sh"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
