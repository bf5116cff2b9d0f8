"""A hand-built workspace of four patches whose dossier contents and missing items are known by hand.

- D1 合法 (town T1): PZWH, one 批文 file, one field visit with two photos (EXIF), 经办 + 审核 通过 合法.
- D2 违法 (T1): 立案 (SFLA) with a case record but no 案件阶段, rectified (剩余 0) without 复耕/补办
  evidence, no photo, 审核 退回.
- D3 undecided (T2): nothing recorded.
- D4 违法 (T2): referred, one case record with AJJD 立案, one photo, 审核 通过 违法 but for 合法 first
  (the decision changed: only the 违法 chain counts).

Geometries are 100 m squares in EPSG:4523 (reporting_district.blob); photos sit at known offsets from
D1 so the distance printed is known (50 m east of its east edge).
"""
from __future__ import annotations

from pathlib import Path

from reporting_district import T1, T2, blob

from wpzf.domain.evidence.exif import PhotoInfo
from wpzf.domain.evidence.store import add_file
from wpzf.domain.workspace.store import Workspace

STAMP = "2022-06-01T08:00:00.00Z"
PATCHES = [
    dict(JCBH="D1", XZQDM=T1, TBMJ=6666.67, GDMJ=3333.33, PDLX="合法", JTQX="农用地转用", PZWH="渝府地〔2022〕11号",
         PDR="张三", PDSJ="2022-05-20"),
    dict(JCBH="D2", XZQDM=T1, TBMJ=4000.0, PDLX="违法", WFLX="非农违法", WFMJ=6.0, WFGDMJ=4.0, SFLA=1,
         AJBH="永规资罚〔2022〕9号", ZGFS="拆除复耕", CCMJ=6.0, FGMJ=4.0, SYWZGMJ=0.0, PDR="李四", PDSJ="2022-05-21"),
    dict(JCBH="D3", XZQDM=T2),
    dict(JCBH="D4", XZQDM=T2, TBMJ=2000.0, PDLX="违法", WFLX="非农违法", WFMJ=3.0, WFGDMJ=1.0, SFLA=1,
         AJBH="永规资罚〔2022〕12号", PDR="王五", PDSJ="2022-05-22"),
]


def patch_corner(i: int) -> tuple[float, float]:
    """(easting, northing) of patch i's south-west corner (as reporting_district.blob)."""
    return 35580000 + 200 * i, 3250000


def lonlat(easting: float, northing: float) -> tuple[float, float]:
    """EPSG:4523 → EPSG:4490 with QGIS (the test's expected positions)."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4523"),
                                       QgsCoordinateReferenceSystem("EPSG:4490"), QgsProject.instance())
    # EPSG:4523 and 4490 are northing/latitude first; QGIS points are (x = easting/lon, y = northing/lat)
    point = transform.transform(QgsPointXY(easting, northing))
    return point.x(), point.y()


def _insert(conn, table: str, row: dict) -> int:
    names = list(row)
    cur = conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                       list(row.values()))
    return int(cur.lastrowid)


def build(folder: Path) -> tuple[Path, dict[str, int], dict[str, list]]:
    """The workspace file, fids by JCBH, and the evidence records added (by JCBH)."""
    from exif_photos import write_photo

    path = folder / "dossier.gpkg"
    ws = Workspace.create(path, 4523, user="tester")
    fids: dict[str, int] = {}
    with ws.transaction() as conn:
        conn.execute("""INSERT INTO wpzf_batch ("PCMC", "JSRQ", "PDQX") VALUES ('2022-05', '2022-05-06', '2022-05-26')""")
        for i, row in enumerate(PATCHES):
            fids[row["JCBH"]] = _insert(conn, "jctb", {"geom": blob(i), "batch_id": 1, "XGR": "tester",
                                                       "XGSJ": STAMP, **row})
        visit = _insert(conn, "wpzf_field_visit", {"patch_fid": fids["D1"], "KCRQ": "2022-05-18", "KCRY": "张三 赵六",
                                                   "KCQK": "已建成厂房，与批文范围一致", "KCJG": "已核实",
                                                   "XGR": "tester", "XGSJ": STAMP})
        reviews = [("D1", "经办", "通过", "张三", "2022-05-20T09:00:00Z", "合法"),
                   ("D1", "审核", "通过", "陈审核", "2022-05-21T09:00:00Z", "合法"),
                   ("D2", "经办", "通过", "李四", "2022-05-21T09:00:00Z", "违法"),
                   ("D2", "审核", "退回", "陈审核", "2022-05-22T09:00:00Z", "违法"),
                   ("D4", "审核", "通过", "陈审核", "2022-05-20T09:00:00Z", "合法"),
                   ("D4", "经办", "通过", "王五", "2022-05-22T09:00:00Z", "违法"),
                   ("D4", "审核", "通过", "陈审核", "2022-05-23T09:00:00Z", "违法")]
        for jcbh, step, result, who, when, decision in reviews:
            _insert(conn, "wpzf_review", {"patch_fid": fids[jcbh], "BZ": step, "JG": result, "SHR": who, "SHSJ": when,
                                          "SHYJ": "范围不清，补充现场照片" if result == "退回" else "同意",
                                          "PDLX": decision, "FGCY": 0, "XGR": who, "XGSJ": when})
        _insert(conn, "wpzf_case_progress", {"patch_fid": fids["D2"], "JLRQ": "2022-06-01", "SFLA": 1,
                                             "LASJ": "2022-06-01", "AJBH": "永规资罚〔2022〕9号", "XGR": "t",
                                             "XGSJ": STAMP})
        _insert(conn, "wpzf_case_progress", {"patch_fid": fids["D4"], "JLRQ": "2022-06-02", "SFLA": 1,
                                             "LASJ": "2022-06-02", "AJBH": "永规资罚〔2022〕12号", "AJJD": "立案",
                                             "WSWH": "永规资立〔2022〕12号", "XGR": "t", "XGSJ": STAMP})
        _insert(conn, "wpzf_rectification", {"patch_fid": fids["D2"], "JLRQ": "2022-06-20", "ZGFS": "拆除复耕",
                                             "CCMJ": 6.0, "FGMJ": 4.0, "BBMJ": 0.0, "SYWZGMJ": 0.0,
                                             "ZGWCSJ": "2022-06-20", "XGR": "t", "XGSJ": STAMP})
        _insert(conn, "wpzf_referral", {"patch_fid": fids["D4"], "YJBM": "区农业农村委", "YJRQ": "2022-05-25",
                                        "YJWH": "永规资移〔2022〕3号", "XGR": "t", "XGSJ": STAMP})
    added: dict[str, list] = {"D1": [], "D4": []}
    x, y = patch_corner(0)
    inside = lonlat(x + 50, y + 50)
    east = lonlat(x + 150, y + 50)  # 50 m east of D1's east edge
    for name, (lon, lat), taken in (("d1_a.jpg", inside, "2022:05:18 10:00:00"),
                                    ("d1_b.jpg", east, "2022:05:18 10:05:00")):
        photo = write_photo(folder / "in" / name, lon, lat, bearing=90.0, taken=taken)
        info = PhotoInfo(lon=lon, lat=lat, bearing=90.0, taken_at=taken.replace(":", "-", 2).replace(" ", "T"))
        record = add_file(ws, fids["D1"], photo, "照片", photo=info).record
        with ws.transaction() as conn:
            conn.execute("UPDATE wpzf_evidence SET visit_id = ? WHERE id = ?", (visit, record.id))
        added["D1"].append(record)
    approval = folder / "in" / "批文.txt"
    approval.write_text("渝府地〔2022〕11号 农用地转用批复", encoding="utf-8")
    added["D1"].append(add_file(ws, fids["D1"], approval, "批文", doc_number="渝府地〔2022〕11号").record)
    photo = write_photo(folder / "in" / "d4.jpg", *lonlat(*patch_corner(3)), taken="2022:05:19 10:00:00")
    added["D4"].append(add_file(ws, fids["D4"], photo, "照片").record)
    ws.close()
    return path, fids, added
