"""Column catalogue of the patch table ``jctb`` (监测图斑): names, types, Chinese aliases.

One list drives the DDL, the aliases QGIS shows, the audit triggers and the
exports, so a column is declared once. Names follow the pinyin-initials
convention of the ministry's data (``GDMJ`` 耕地面积).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One attribute column: SQL name, GeoPackage (SQLite) type, Chinese alias, schema version added.

    ``pg_type`` overrides the PostgreSQL type the DDL would map ``sql_type``
    to; ``only`` names the one backend ("gpkg"/"postgis") that has the column.
    """

    name: str
    sql_type: str
    alias: str
    since: int = 1
    pg_type: str = ""
    only: str = ""


# Fields of the ministry's delivery, stored typed; every delivered field is also
# kept verbatim (any name, any value) in YSSX as JSON.
MINISTRY_COLUMNS: tuple[Column, ...] = (
    Column("JCBH", "TEXT NOT NULL", "监测编号"),
    Column("XZQDM", "TEXT", "行政区代码"),
    Column("XMC", "TEXT", "县名称"),
    Column("TBLX", "TEXT", "图斑类型"),
    Column("QSX", "TEXT", "前时相"),
    Column("HSX", "TEXT", "后时相"),
    Column("JCMJ", "REAL", "监测面积"),
    Column("LZB", "REAL", "中心点经度"),
    Column("BZB", "REAL", "中心点纬度"),
    Column("JCLB", "TEXT", "监测类别"),
    Column("TBLY", "TEXT", "图斑来源"),
    Column("JCPC", "TEXT", "监测批次"),
    Column("BHMJ", "REAL", "变化面积"),
    Column("QQJCBH", "TEXT", "前期监测编号"),
)

# Bookkeeping of intake, splits and edits (schema version 1).
INTAKE_COLUMNS: tuple[Column, ...] = (
    Column("batch_id", "INTEGER NOT NULL REFERENCES wpzf_batch(id)", "批次"),
    Column("YSSX", "TEXT", "原始属性"),
    Column("YSZB", "TEXT", "原始坐标系"),
    Column("XFBZ", "INTEGER NOT NULL DEFAULT 0", "几何已修复"),
    Column("XFSM", "TEXT", "修复说明"),
    Column("CXXF", "INTEGER NOT NULL DEFAULT 0", "重复下发"),
    Column("FJCBH", "TEXT", "原图斑编号"),
    Column("DKBH", "TEXT", "地块编号"),
    Column("PDQX", "TEXT", "判定期限"),
    Column("XGR", "TEXT", "修改人"),
    Column("XGSJ", "TEXT", "修改时间"),
)

# What the office records per patch or 地块 (schema version 2).
WORKFLOW_COLUMNS: tuple[Column, ...] = (
    Column("TBMJ", "REAL", "图斑面积(平方米)", 2),
    Column("GDMJ", "REAL", "耕地面积(平方米)", 2),
    Column("JBNTMJ", "REAL", "永久基本农田面积(平方米)", 2),
    Column("PDLX", "TEXT", "判定类型", 2),
    Column("JTQX", "TEXT", "具体情形", 2),
    Column("WFLX", "TEXT", "违法类型", 2),
    Column("PZWH", "TEXT", "批准文号", 2),
    Column("PDYJ", "TEXT", "判定依据说明", 2),
    Column("PDR", "TEXT", "判定人", 2),
    Column("PDSJ", "TEXT", "判定时间", 2),
    Column("WFMJ", "REAL", "违法面积(亩)", 2),
    Column("WFGDMJ", "REAL", "违法耕地面积(亩)", 2),
    Column("WFJBNTMJ", "REAL", "违法永久基本农田面积(亩)", 2),
    Column("SFNRJS", "INTEGER", "是否纳入违法计算", 2),
    Column("KJLX", "TEXT", "扣减类型", 2),
    Column("SFLA", "INTEGER", "是否立案", 2),
    Column("LASJ", "TEXT", "立案时间", 2),
    Column("AJBH", "TEXT", "案件编号", 2),
    Column("CFJDSWH", "TEXT", "处罚决定书文号", 2),
    Column("FMK", "REAL", "罚没款(元)", 2),
    Column("MSMJ", "REAL", "没收面积(亩)", 2),
    Column("ZGFS", "TEXT", "整改方式", 2),
    Column("CCMJ", "REAL", "拆除面积(亩)", 2),
    Column("FGMJ", "REAL", "复耕到位面积(亩)", 2),
    Column("BBMJ", "REAL", "补办面积(亩)", 2),
    Column("BBPZWH", "TEXT", "补办批准文号", 2),
    Column("SYWZGMJ", "REAL", "剩余未整改面积(亩)", 2),
    Column("ZGWCSJ", "TEXT", "整改完成时间", 2),
    Column("SHYJ", "TEXT", "审核意见", 2),
    Column("THCS", "INTEGER NOT NULL DEFAULT 0", "退回次数", 2),
    Column("BZ", "TEXT", "备注", 2),
)

# The city's 地块面积 identity and rectification totals (schema version 4):
# 地块面积 = 耕地 + 非耕地农用地 + 未利用地 + 建设用地; 已整改 = 拆除 + 补办.
AREA_SPLIT_COLUMNS: tuple[Column, ...] = (
    Column("FGNYDMJ", "REAL", "非耕地农用地面积(亩)", 4),
    Column("WLYDMJ", "REAL", "未利用地面积(亩)", 4),
    Column("JSYDMJ", "REAL", "建设用地面积(亩)", 4),
    Column("YZGMJ", "REAL", "已整改面积(亩)", 4),
)

# Rectified farmland, so the after-rectification illegal farmland area (整改后违法占耕面积)
# is recorded rather than estimated (schema version 5).
REPORTING_COLUMNS: tuple[Column, ...] = (
    Column("YZGGDMJ", "REAL", "已整改耕地面积(亩)", 5),
)

# Figures an office can defend (schema version 6): 永久基本农田中的耕地 on the farmland
# basis (≤ GDMJ, unlike the gross 永农 coverage JBNTMJ); 建设时间 and 新增/存量 for the
# violation period; 结案时间; 补办 farmland, so 整改后违法占耕 needs no estimate.
FIGURES_COLUMNS: tuple[Column, ...] = (
    Column("JBNTGDMJ", "REAL", "永久基本农田中的耕地面积(平方米)", 6),
    Column("JSSJ", "TEXT", "建设时间", 6),
    Column("WFSD", "TEXT", "违法时段(新增/存量)", 6),
    Column("JASJ", "TEXT", "结案时间", 6),
    Column("BBGDMJ", "REAL", "补办耕地面积(亩)", 6),
)

PATCH_COLUMNS: tuple[Column, ...] = (
    MINISTRY_COLUMNS + INTAKE_COLUMNS + WORKFLOW_COLUMNS + AREA_SPLIT_COLUMNS + REPORTING_COLUMNS
    + FIGURES_COLUMNS)
MINISTRY_FIELD_NAMES: tuple[str, ...] = tuple(c.name for c in MINISTRY_COLUMNS)


def columns_until(version: int) -> tuple[Column, ...]:
    """Patch columns that exist at schema ``version``."""
    return tuple(c for c in PATCH_COLUMNS if c.since <= version)


def aliases(version: int) -> dict[str, str]:
    """Chinese alias per patch column at schema ``version``."""
    return {c.name: c.alias for c in columns_until(version)}
