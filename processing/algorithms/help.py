"""Help links and search tags of the WPZF algorithms, declared once for all of them.

``helpUrl()`` points at the README section that explains an algorithm. The
link goes to the README on the plugin's homepage (metadata.txt), which shows
it rendered with working section anchors; a ``file://`` link to the shipped
README.md could not jump to a section (a browser shows Markdown as plain
text) and is used only when metadata.txt names no homepage. Offline, the
algorithm dialog's own help panel (``shortHelpString``) still says everything
needed to run it; the link is the longer explanation.

Anchors are GitHub's: the heading lower-cased, punctuation (full-width too)
dropped, each space a hyphen — :func:`anchor` — so a README heading edited
without updating :data:`HELP_SECTIONS` fails tests/qgis/test_algorithm_metadata.py.
"""
from __future__ import annotations

import configparser
import unicodedata
from functools import lru_cache

from ...resources_path import PLUGIN_DIR

WORKSPACE = "工作空间在哪里"
ALGORITHMS = "处理算法（提供者 `wpzf`）"
EVIDENCE = "佐证资料"
REPORTING = "月清上报与统计"
MAPS = "图斑核查图 / Patch maps"
SHARED = "多人共用工作空间（PostgreSQL/PostGIS）/ Shared office workspace"

#: algorithm NAME → the README heading (text after the #s) of its section.
HELP_SECTIONS = {
    "createworkspace": WORKSPACE,
    "importpatches": WORKSPACE,
    "importdivisions": ALGORITHMS,
    "farmlandoccupation": ALGORITHMS,
    "overlaysummary": ALGORITHMS,
    "prejudge": ALGORITHMS,
    "imagerychange": ALGORITHMS,
    "qualitycheck": REPORTING,
    "reviewpatches": REPORTING,
    "importphotos": EVIDENCE,
    "submitstage": REPORTING,
    "importfeedback": REPORTING,
    "setstage": REPORTING,
    "townstatistics": REPORTING,
    "exportreport": REPORTING,
    "bulletin": REPORTING,
    "annualsummary": REPORTING,
    "sample": ALGORITHMS,
    "printpatchmaps": MAPS,
    "exportdossier": MAPS,
    "acceptancecheck": REPORTING,
    "migrateworkspace": SHARED,
    "exportfieldpackage": EVIDENCE,
    "importfieldpackage": EVIDENCE,
}

_COMMON = ["wpzf", "卫片执法", "land enforcement", "remote sensing patches", "遥感监测图斑"]

#: algorithm NAME → search keywords (English and Chinese) for the toolbox search and the locator.
TAGS = {
    "createworkspace": ["workspace", "geopackage", "create", "工作空间", "新建"],
    "importpatches": ["import", "delivery", "patches", "encoding", "reproject", "导入", "下发图斑", "编码", "投影"],
    "importdivisions": ["towns", "villages", "boundaries", "division", "镇街", "村界", "行政区", "归属"],
    "farmlandoccupation": ["farmland", "cultivated land", "basic farmland", "overlay", "area",
                           "耕地", "永久基本农田", "占用", "叠加", "面积"],
    "overlaysummary": ["overlay", "approval", "land supply", "temporary land", "叠加", "审批", "供地", "临时用地",
                       "设施农用地"],
    "prejudge": ["legality", "rules", "judgement", "合法性", "预判", "判定", "规则集"],
    "imagerychange": ["imagery", "change detection", "NDVI", "screening", "影像", "变化", "预筛", "内业比对",
                      "复耕"],
    "qualitycheck": ["quality check", "validation", "deadline", "质检", "检查", "期限"],
    "reviewpatches": ["review", "approval", "send back", "审核", "审定", "退回", "层层审查", "批量审核"],
    "importphotos": ["photos", "exif", "gps", "evidence", "field survey", "外业照片", "佐证", "定位"],
    "submitstage": ["submit", "report", "snapshot", "stage", "上报", "一上", "二上", "快照"],
    "importfeedback": ["feedback", "returned patches", "excel", "一下", "退回", "问题图斑"],
    "setstage": ["lock", "unlock", "stage", "锁定", "解锁", "退回", "阶段"],
    "townstatistics": ["statistics", "towns", "ratio", "assessment", "镇街统计", "占耕比例", "考核", "约谈"],
    "exportreport": ["excel", "report", "export", "statistics", "报表", "导出", "月清", "统计"],
    "bulletin": ["bulletin", "trend", "chart", "map", "pdf", "通报", "趋势", "图表", "进展"],
    "annualsummary": ["annual summary", "word", "docx", "年度总结", "书面总结", "季度"],
    "sample": ["sample", "spot check", "stratified", "random", "抽查", "抽样", "督导"],
    "printpatchmaps": ["print", "map", "atlas", "layout", "pdf", "核查图", "打印", "出图"],
    "exportdossier": ["dossier", "case file", "archive", "pdf", "卷宗", "组卷归档", "案件卷宗", "卷内目录"],
    "acceptancecheck": ["acceptance", "self-check", "completeness", "验收", "自查", "市级验收", "档案"],
    "migrateworkspace": ["postgis", "postgresql", "shared", "migrate", "copy", "共用", "迁移", "数据库"],
    "exportfieldpackage": ["qfield", "field survey", "package", "kml", "gpx", "mobile", "外业", "踏勘", "外业包", "导出"],
    "importfieldpackage": ["qfield", "qfieldcloud", "field survey", "photos", "visits", "外业", "踏勘", "外业成果",
                           "导入"],
}


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation and symbols dropped, spaces → '-'."""
    kept = (c for c in heading.strip().lower()
            if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return "".join(kept).replace(" ", "-")


@lru_cache(maxsize=1)
def homepage() -> str:
    """The homepage of metadata.txt ('' when none)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(PLUGIN_DIR / "metadata.txt", encoding="utf-8")
        return parser.get("general", "homepage", fallback="").strip().rstrip("/")
    except (OSError, configparser.Error):
        return ""


def help_url(name: str) -> str:
    """The README section of algorithm ``name``: on the homepage, else the shipped README.md ('' if unknown)."""
    heading = HELP_SECTIONS.get(name)
    if heading is None:
        return ""
    base = homepage() or (PLUGIN_DIR / "README.md").as_uri()
    return f"{base}#{anchor(heading)}"


def tags(name: str) -> list[str]:
    """The algorithm's own keywords, then those of every WPZF algorithm."""
    return TAGS.get(name, []) + _COMMON
