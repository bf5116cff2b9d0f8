"""Every workspace table declared once: the GeoPackage schema and the PostGIS DDL both render it.

A table is a name, its Chinese title (the GeoPackage ``gpkg_contents``
identifier QGIS shows), the schema version it appeared in, its key, and its
columns — each a :class:`~.columns.Column` with the version it was added in.
The migration step to version *n* is then, on either backend: create the
tables that appear at *n* with their columns of versions ≤ *n*, and add to
older tables the columns of version *n* (``schema.py`` renders SQLite, the
``postgis/ddl.py`` renders PostgreSQL). Types are written as GeoPackage types
(TEXT, INTEGER, REAL, BLOB); the PostGIS renderer maps them, and a column that
a shared server keeps differently says so in ``pg_type`` (the audit values
are ``jsonb`` there) or exists on one backend only (``only``).

Column defaults that are the current time are written ``{now}``: each
backend puts its own expression there (the same text format on both).
Identifiers in CHECK expressions are double-quoted, which both engines read.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from .columns import Column, columns_until

PATCH_TABLE = "jctb"
PATCH_LAYER_NAME = "监测图斑"
STAGES: tuple[str, ...] = ("核查中", "一上", "一下", "二上", "锁定")
DIVISION_TABLE = "wpzf_division"
PATCH_DIVISION_TABLE = "wpzf_patch_division"
TOWN_LEVEL, VILLAGE_LEVEL = "镇街", "村"
FIELD_PACKAGE_TABLE = "wpzf_field_package"
NOW = "{now}"
"""Placeholder for the backend's current-time expression in a column default."""

GPKG_ONLY, POSTGIS_ONLY = "gpkg", "postgis"
WORKSPACE_ID_KEY = "workspace_id"
"""``wpzf_meta`` key of the workspace's own id (schema version 7)."""

VERSIONS: tuple[tuple[int, str], ...] = (
    (1, "batches, patches, audit, stage locks"),
    (2, "decisions, evidence, field visits, referrals, rectification"),
    (3, "snapshots, feedback, pre-judgement, quality-check results"),
    (4, "area split of a patch (地块面积 identity) and rectified total"),
    (5, "snapshot content inside the workspace, rectified farmland area"),
    (6, "farmland basis, violation period, case closing, towns and villages"),
    (7, "field packages: visit results and ids, photos linked to visits, workspace id"),
    (8, "review chain (经办/审核/审定), case procedure stages, exported dossiers, imagery pre-screening, 涉矿 flag"),
)
"""Schema versions and what each brought (recorded in ``wpzf_schema_version`` on both backends)."""


def new_workspace_id() -> str:
    """A fresh workspace id (random UUID, hex)."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Index:
    """An index on ``columns``, created with the table or, when ``since`` is later, by that version's step."""

    columns: tuple[str, ...]
    unique: bool = False
    since: int = 0


@dataclass(frozen=True)
class Table:
    """One workspace table.

    ``key``: an identity integer key column (``id`` or ``fid``), or "" when a
    column declares its own PRIMARY KEY. ``geometry``: a MULTIPOLYGON feature
    table (``geom``). ``per_patch``: a record of one patch (``patch_fid``
    column, indexed; audited, lock-checked, row-versioned on PostGIS).
    """

    name: str
    title: str
    since: int
    columns: tuple[Column, ...]
    key: str = "id"
    geometry: bool = False
    per_patch: bool = False
    unique: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[Index, ...] = ()
    only: str = ""

    def columns_at(self, version: int, backend: str) -> tuple[Column, ...]:
        """Columns of versions ≤ ``version`` that exist on ``backend`` (the key and geometry aside)."""
        return tuple(c for c in self.columns if c.since <= version and c.only in ("", backend))

    def columns_added(self, version: int, backend: str) -> tuple[Column, ...]:
        """Columns added to this (older) table at exactly ``version``."""
        return tuple(c for c in self.columns if c.since == version and c.only in ("", backend))


def _c(name: str, sql_type: str, alias: str = "", since: int = 1, pg_type: str = "", only: str = "") -> Column:
    return Column(name, sql_type, alias or name, since, pg_type=pg_type, only=only)


def _patch_ref(since: int = 2) -> Column:
    return _c("patch_fid", f"INTEGER NOT NULL REFERENCES {PATCH_TABLE}(fid)", "图斑", since)


def _edit_stamps(since: int) -> tuple[Column, ...]:
    return _c("XGR", "TEXT", "修改人", since), _c("XGSJ", "TEXT", "修改时间", since)


META = Table("wpzf_meta", "", 1, (_c("key", "TEXT PRIMARY KEY", "键"), _c("value", "TEXT", "值")), key="")

BATCH = Table("wpzf_batch", "批次", 1, (
    _c("PCMC", "TEXT NOT NULL UNIQUE", "批次名称"),          # e.g. 2022-05
    _c("JSRQ", "TEXT NOT NULL", "接收日期"),                  # yyyy-mm-dd
    _c("PDQX", "TEXT NOT NULL", "合法性判定期限"),            # JSRQ + 20 days
    _c("JD", f"TEXT NOT NULL DEFAULT '{STAGES[0]}'", "阶段"),
    _c("SDZT", 'INTEGER NOT NULL DEFAULT 0 CHECK ("SDZT" IN (0, 1))', "锁定状态"),
    _c("JSYY", "TEXT", "解锁原因"),
    _c("CJSJ", f"TEXT NOT NULL DEFAULT ({NOW})", "创建时间"),
    *_edit_stamps(1)))

BATCH_SOURCE = Table("wpzf_batch_source", "批次来源文件", 1, (
    _c("batch_id", "INTEGER NOT NULL REFERENCES wpzf_batch(id)", "批次"),
    _c("file_name", "TEXT NOT NULL", "文件名"), _c("sha256", "TEXT NOT NULL", "SHA-256"),
    _c("imported_at", "TEXT NOT NULL", "导入时间"), _c("imported_by", "TEXT", "导入人"),
    _c("summary", "TEXT", "摘要")), unique=(("batch_id", "sha256"),))

AUDIT = Table("wpzf_audit", "审计日志", 1, (
    _c("at", "TEXT NOT NULL", "时间"), _c("who", "TEXT NOT NULL", "操作人"),
    _c("table_name", "TEXT NOT NULL", "表"), _c("row_id", "INTEGER", "记录"), _c("label", "TEXT", "标识"),
    _c("action", "TEXT NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE'))", "操作"),
    _c("field", "TEXT", "字段"),
    # BLOB: the one GeoPackage type whose affinity converts nothing (numbers stay numbers)
    _c("old_value", "BLOB", "原值", pg_type="jsonb"), _c("new_value", "BLOB", "新值", pg_type="jsonb"),
    _c("db_user", "TEXT", "数据库用户", only=POSTGIS_ONLY)),
    indexes=(Index(("table_name", "row_id")),))

STAGE_HISTORY = Table("wpzf_stage_history", "阶段记录", 1, (
    _c("batch_id", "INTEGER NOT NULL REFERENCES wpzf_batch(id)", "批次"),
    _c("at", "TEXT NOT NULL", "时间"), _c("who", "TEXT NOT NULL", "操作人"),
    _c("from_stage", "TEXT", "原阶段"), _c("to_stage", "TEXT", "新阶段"),
    _c("locked", "INTEGER NOT NULL", "锁定"), _c("reason", "TEXT", "原因")))

PATCHES = Table(PATCH_TABLE, PATCH_LAYER_NAME, 1, (), key="fid", geometry=True,
                unique=(("batch_id", "JCBH"),), indexes=(Index(("JCBH",)),))
"""The patch table; its columns are :data:`~.columns.PATCH_COLUMNS` (see :func:`table_columns`)."""

EVIDENCE = Table("wpzf_evidence", "佐证资料", 2, (
    _patch_ref(),
    _c("ZLLX", "TEXT NOT NULL", "资料类型", 2),        # 照片 / 批文 / 备案 / 其他
    _c("WJLJ", "TEXT NOT NULL", "文件路径", 2),        # relative to evidence/
    _c("YSWJM", "TEXT NOT NULL", "原始文件名", 2),
    _c("SHA256", "TEXT NOT NULL", "SHA-256", 2), _c("WJDX", "INTEGER NOT NULL", "文件大小", 2),
    _c("PSSJ", "TEXT", "拍摄时间", 2), _c("JD", "REAL", "经度", 2), _c("WD", "REAL", "纬度", 2),
    _c("FWJ", "REAL", "方位角", 2), _c("WH", "TEXT", "文号", 2), _c("SM", "TEXT", "说明", 2),
    *_edit_stamps(2),
    _c("visit_id", "INTEGER REFERENCES wpzf_field_visit(id)", "外业记录", 7),
    _c("JL", "REAL", "照片到图斑距离(米)", 7)), per_patch=True)

FIELD_VISIT = Table("wpzf_field_visit", "外业踏勘", 2, (
    _patch_ref(),
    _c("KCRQ", "TEXT NOT NULL", "踏勘日期", 2), _c("KCRY", "TEXT NOT NULL", "踏勘人员", 2),
    _c("KCQK", "TEXT", "踏勘情况", 2), *_edit_stamps(2),
    _c("KCJG", "TEXT", "踏勘结果", 7), _c("KCSJ", "TEXT", "踏勘时间", 7),
    _c("WYBS", "TEXT", "外业记录标识", 7), _c("WYB", "TEXT", "外业包标识", 7)),
    per_patch=True, indexes=(Index(("WYBS",), unique=True, since=7),))

REFERRAL = Table("wpzf_referral", "移交记录", 2, (
    _patch_ref(),
    _c("YJBM", "TEXT NOT NULL", "移交部门", 2), _c("YJRQ", "TEXT NOT NULL", "移交日期", 2),
    _c("YJWH", "TEXT", "移交文号", 2), _c("ZT", "TEXT", "状态", 2), _c("SM", "TEXT", "说明", 2),
    *_edit_stamps(2)), per_patch=True)

RECTIFICATION = Table("wpzf_rectification", "整改记录", 2, (
    _patch_ref(),
    _c("JLRQ", "TEXT NOT NULL", "记录日期", 2), _c("ZGFS", "TEXT", "整改方式", 2),
    _c("CCMJ", "REAL", "拆除面积", 2), _c("FGMJ", "REAL", "复耕面积", 2), _c("BBMJ", "REAL", "补办面积", 2),
    _c("BBPZWH", "TEXT", "补办批准文号", 2), _c("SYWZGMJ", "REAL", "剩余未整改面积", 2),
    _c("ZGWCSJ", "TEXT", "整改完成时间", 2), _c("SM", "TEXT", "说明", 2), *_edit_stamps(2),
    _c("BBGDMJ", "REAL", "补办耕地面积", 6)), per_patch=True)

EVIDENCE_FILE = Table("wpzf_evidence_file", "", 2, (
    # a shared server keeps the evidence files themselves, once per content
    _c("sha256", "TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$')", "SHA-256", 2),
    _c("size", "INTEGER NOT NULL", "大小", 2), _c("content", "BLOB NOT NULL CHECK (length(content) = size)", "内容", 2)),
    key="", only=POSTGIS_ONLY)

SNAPSHOT = Table("wpzf_snapshot", "上报快照", 3, (
    _c("batch_id", "INTEGER NOT NULL REFERENCES wpzf_batch(id)", "批次", 3),
    _c("stage", "TEXT NOT NULL", "阶段", 3), _c("file_path", "TEXT NOT NULL", "文件", 3),
    _c("sha256", "TEXT NOT NULL", "SHA-256", 3), _c("created_at", "TEXT NOT NULL", "创建时间", 3),
    _c("created_by", "TEXT", "创建人", 3),
    _c("content", "BLOB", "内容", 5), _c("format", "TEXT", "格式", 5), _c("n_patches", "INTEGER", "图斑数", 5)))

FEEDBACK = Table("wpzf_feedback", "一下问题图斑", 3, (
    _c("batch_id", "INTEGER NOT NULL REFERENCES wpzf_batch(id)", "批次", 3),
    _c("patch_fid", f"INTEGER REFERENCES {PATCH_TABLE}(fid)", "图斑", 3),
    _c("JCBH", "TEXT NOT NULL", "监测编号", 3), _c("WTMS", "TEXT NOT NULL", "问题描述", 3),
    _c("extra", "TEXT", "其他", 3), _c("round", "INTEGER NOT NULL DEFAULT 1", "轮次", 3),
    _c("imported_at", "TEXT NOT NULL", "导入时间", 3), _c("resolved_at", "TEXT", "处理时间", 3),
    _c("resolved_by", "TEXT", "处理人", 3)))

PREJUDGEMENT = Table("wpzf_prejudgement", "预判结果", 3, (
    _patch_ref(3),
    _c("ruleset", "TEXT NOT NULL", "规则集", 3), _c("rule_id", "TEXT NOT NULL", "规则", 3),
    _c("PDLX", "TEXT", "判定类型", 3), _c("JTQX", "TEXT", "具体情形", 3), _c("evidence", "TEXT", "依据", 3),
    _c("created_at", "TEXT NOT NULL", "时间", 3),
    # 矿产卫片: the pre-judgement flags a 涉矿 patch and names the licences found (采矿权/探矿权 XKZH, dates, share)
    _c("SFSK", "INTEGER", "是否涉矿", 8), _c("KQXX", "TEXT", "矿权信息", 8)),
    indexes=(Index(("patch_fid",), since=7),))  # prejudge replaces a patch's suggestions one by one

CHECK_RESULT = Table("wpzf_check_result", "质检结果", 3, (
    _c("batch_id", "INTEGER REFERENCES wpzf_batch(id)", "批次", 3), _c("patch_fid", "INTEGER", "图斑", 3),
    _c("JCBH", "TEXT", "监测编号", 3), _c("rule_id", "TEXT NOT NULL", "规则", 3),
    _c("severity", "TEXT NOT NULL", "级别", 3), _c("message", "TEXT NOT NULL", "问题", 3),
    _c("checked_at", "TEXT NOT NULL", "时间", 3)))

DIVISIONS = Table(DIVISION_TABLE, "镇街村界", 6, (
    _c("DM", "TEXT NOT NULL", "行政区划代码", 6),      # 镇街 9 位 / 村 12 位
    _c("MC", "TEXT", "名称", 6),
    _c("JB", f"TEXT NOT NULL CHECK (\"JB\" IN ('{TOWN_LEVEL}', '{VILLAGE_LEVEL}'))", "级别", 6),
    _c("SJDM", "TEXT", "上级代码", 6),                  # 村 → 镇街
    _c("DRSJ", "TEXT", "导入时间", 6)), key="fid", geometry=True, unique=(("JB", "DM"),))

PATCH_DIVISION = Table(PATCH_DIVISION_TABLE, "图斑所在镇街村", 6, (
    _c("patch_fid", f"INTEGER PRIMARY KEY REFERENCES {PATCH_TABLE}(fid)", "图斑", 6),
    _c("XZDM", "TEXT", "所在镇街代码", 6), _c("XZMC", "TEXT", "所在镇街", 6),   # by the largest share
    _c("CJDM", "TEXT", "所在村代码", 6), _c("CJMC", "TEXT", "所在村", 6),
    _c("XZBL", "REAL", "镇街内面积占比", 6),             # 0–1
    _c("FPSJ", "TEXT", "归属时间", 6)), key="")

CASE_PROGRESS = Table("wpzf_case_progress", "立案查处记录", 6, (
    _patch_ref(6),
    _c("JLRQ", "TEXT NOT NULL", "记录日期", 6),       # the case's state as at this date
    _c("SFLA", "INTEGER", "是否立案", 6), _c("LASJ", "TEXT", "立案时间", 6), _c("AJBH", "TEXT", "案件编号", 6),
    _c("CFJDSWH", "TEXT", "处罚决定书文号", 6), _c("FMK", "REAL", "罚没款", 6), _c("MSMJ", "REAL", "没收面积", 6),
    _c("JASJ", "TEXT", "结案时间", 6), _c("SM", "TEXT", "说明", 6), *_edit_stamps(6),
    # 《国土资源违法行为查处工作规程》's stages: 立案 → 调查取证 → 案件审理 → 告知听证 → 处罚决定 → 执行 → 结案
    _c("AJJD", "TEXT", "案件阶段", 8), _c("WSWH", "TEXT", "文书文号", 8),
    _c("evidence_id", "INTEGER REFERENCES wpzf_evidence(id)", "文书附件", 8)), per_patch=True)

FIELD_PACKAGE = Table(FIELD_PACKAGE_TABLE, "外业包", 7, (
    _c("WYB", "TEXT NOT NULL UNIQUE", "外业包标识", 7), _c("PCMC", "TEXT", "批次", 7),
    _c("DCSJ", "TEXT", "导出时间", 7), _c("DRSJ", "TEXT", "导入时间", 7),
    _c("MANIFEST", "TEXT", "清单", 7), *_edit_stamps(7)))

REVIEW = Table("wpzf_review", "审核记录", 8, (
    # 层层审查: each decision passes 经办 → 审核 → 审定; a step may send the patch back (退回) with a reason
    _patch_ref(8),
    _c("BZ", "TEXT NOT NULL", "审核步骤", 8),          # 经办 / 审核 / 审定
    _c("JG", "TEXT NOT NULL", "审核结果", 8),          # 通过 / 退回
    _c("SHR", "TEXT NOT NULL", "审核人", 8), _c("SHSJ", "TEXT NOT NULL", "审核时间", 8),
    _c("SHYJ", "TEXT", "审核意见", 8),                  # the reason when 退回
    _c("PDLX", "TEXT", "所审判定类型", 8),              # the decision signed (a later change needs a new chain)
    _c("FGCY", "INTEGER", "分管负责人参与", 8),         # 1: 分管负责人 took part in the field visit or decision
    *_edit_stamps(8)), per_patch=True)

DOSSIER = Table("wpzf_dossier", "卷宗", 8, (
    # 组卷归档 / 案件卷宗: every exported dossier PDF, so 市级验收 can see what was filed and when
    _patch_ref(8),
    _c("WJLJ", "TEXT NOT NULL", "文件路径", 8), _c("SHA256", "TEXT NOT NULL", "SHA-256", 8),
    _c("YS", "INTEGER", "页数", 8), _c("LJR", "TEXT", "立卷人", 8), _c("DCSJ", "TEXT NOT NULL", "导出时间", 8),
    *_edit_stamps(8)), per_patch=True)

IMAGERY_CHANGE = Table("wpzf_imagery_change", "影像变化预筛", 8, (
    # 内业比对 pre-screened: the change measured inside each patch from the before/after images (latest run)
    _c("patch_fid", f"INTEGER PRIMARY KEY REFERENCES {PATCH_TABLE}(fid)", "图斑", 8),
    _c("XSS", "INTEGER", "有效像元数", 8),
    _c("LDBH", "REAL", "亮度变化均值", 8), _c("LDBH90", "REAL", "亮度变化90分位数", 8),
    _c("ZBZS", "TEXT", "植被指数", 8),                  # NDVI (with NIR) or ExG (visible bands)
    _c("ZBBH", "REAL", "植被指数变化", 8),
    _c("BHZB", "REAL", "变化像元占比", 8), _c("LTZB", "REAL", "后时相裸土建设占比", 8),
    _c("BHDF", "REAL", "变化得分", 8),                  # 0–1
    _c("BZ", "TEXT", "标志", 8),                        # why a score is missing or doubtful (未覆盖, 云/无数据)
    _c("YXQ", "TEXT", "前时相影像", 8), _c("YXH", "TEXT", "后时相影像", 8),
    _c("JSSJ", "TEXT", "计算时间", 8)), key="")

TABLES: tuple[Table, ...] = (
    META, BATCH, BATCH_SOURCE, AUDIT, STAGE_HISTORY, PATCHES,
    FIELD_VISIT, EVIDENCE, REFERRAL, RECTIFICATION, EVIDENCE_FILE,
    SNAPSHOT, FEEDBACK, PREJUDGEMENT, CHECK_RESULT,
    DIVISIONS, PATCH_DIVISION, CASE_PROGRESS,
    FIELD_PACKAGE, REVIEW, DOSSIER, IMAGERY_CHANGE,
)
"""In creation order: a table's references point to tables before it."""

PER_PATCH_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t.per_patch)
"""The per-patch progress records (audited; appendable after a lock; row-versioned on PostGIS)."""


def table_columns(table: Table, version: int, backend: str) -> tuple[Column, ...]:
    """The declared columns of ``table`` at ``version`` (the patch table's from ``columns.py``)."""
    if table.name == PATCH_TABLE:
        return columns_until(version)
    return table.columns_at(version, backend)


def added_columns(table: Table, version: int, backend: str) -> tuple[Column, ...]:
    """Columns added to ``table`` (created earlier) at exactly ``version``."""
    if table.name == PATCH_TABLE:
        return tuple(c for c in columns_until(version) if c.since == version)
    return table.columns_added(version, backend)


def tables_created(version: int, backend: str) -> tuple[Table, ...]:
    """Tables that appear at ``version`` on ``backend``."""
    return tuple(t for t in TABLES if t.since == version and t.only in ("", backend))


def tables_altered(version: int, backend: str) -> tuple[tuple[Table, tuple[Column, ...]], ...]:
    """(older table, the columns it gains) at ``version`` on ``backend``."""
    out = []
    for t in TABLES:
        if t.since < version and t.only in ("", backend):
            added = added_columns(t, version, backend)
            if added:
                out.append((t, added))
    return tuple(out)


def table_indexes(table: Table, version: int) -> tuple[Index, ...]:
    """Indexes created at ``version``: with the table (its own and, per patch, on patch_fid) or added later."""
    own = tuple(i for i in table.indexes if (i.since or table.since) == version)
    if table.per_patch and table.since == version:
        own = (Index(("patch_fid",)),) + own
    return own


def index_name(table: Table, columns: tuple[str, ...]) -> str:
    """The name an index on ``columns`` has (the names workspaces already hold)."""
    if columns == ("patch_fid",):
        return f"{table.name}_patch"
    if table.name == AUDIT.name:
        return "wpzf_audit_row"
    return f"{table.name}_{'_'.join(c.lower() for c in columns)}"


def key_column(table: Table) -> str:
    """The primary-key column of ``table`` (the identity key, or the column declared PRIMARY KEY)."""
    if table.key:
        return table.key
    return next(c.name for c in table.columns if "PRIMARY KEY" in c.sql_type)


def table(name: str) -> Table:
    """The declaration of table ``name``."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)
