"""The dossier's pages and the 验收自查 rules on hand-built contents (no workspace, no QGIS).

Work plan: 合法 patches "充分收集相关审批、备案和现场照片等佐证资料，组卷归档"; 市级验收 "确保核查文件资料、
图片影像等真实准确，档案卷宗资料规范齐全"; "建立图斑核查、图斑数据层层审查、纠错机制" (domain.md §9 Review:
经办 → 审核 → 审定). Page arithmetic below is done by hand from the constants it names.
"""
from __future__ import annotations

import datetime as dt

import pytest

from wpzf.domain.casefile.acceptance import check_contents, district_total
from wpzf.domain.casefile.completeness import (
    DOSSIER_STALE,
    LEGAL_NO_APPROVAL,
    LEGAL_NO_APPROVAL_FILE,
    NO_PHOTO,
    RECTIFIED_NO_EVIDENCE,
    all_missing,
    content_missing,
    dossier_missing,
    review_complete,
)
from wpzf.domain.casefile.content import Approval, DossierContent, EvidenceFile, ReviewSign
from wpzf.domain.casefile.dossier import (
    APPROVALS,
    BODY_HEIGHT,
    VISITS,
    PrintContext,
    Table,
    paginate_tables,
    plan_dossier,
)
from wpzf.domain.casefile.text_fit import line_count, row_height, wrap
from wpzf.domain.casework.progress import RectificationRecord
from wpzf.domain.reporting.facts import PatchFact

CJK_MM = 9 * 25.4 / 72  # one Chinese character at the tables' 9 pt: 3.175 mm


def fact(jcbh="P1", town="500118001", **values) -> PatchFact:
    return PatchFact(fid=hash(jcbh) % 1000, jcbh=jcbh, batch="2022-05", received=dt.date(2022, 5, 6), town=town,
                     values=values)


def photo(i: int, **kw) -> EvidenceFile:
    return EvidenceFile(id=i, kind="照片", relative_path=f"P1/{i}.jpg", name=f"{i}.jpg", sha256=f"{i:064x}", **kw)


def test_chinese_text_is_broken_between_characters():
    # a cell of 5 characters plus the two 1 mm margins: 11 characters → lines of 5, 5 and 1
    width = 2 * 1.0 + 5 * CJK_MM + 0.01
    assert wrap("一二三四五六七八九十壹", width) == "一二三四五\n六七八九十\n壹"
    assert line_count(wrap("一二三四五六七八九十壹", width), width) == 3


def test_a_hash_longer_than_its_cell_is_cut_not_lost():
    sha = "0123456789abcdef" * 4
    lines = wrap(sha, 40.0).split("\n")
    assert "".join(lines) == sha and len(lines) > 1


def test_a_long_table_continues_on_the_next_page_with_its_header():
    # one line: 9 pt × 25.4/72 × 1.5 + 2 × 1 mm = 6.7625 → 6.76 mm; the page body is 297 − 29 − 18 = 250 mm,
    # so after the header 243.24 mm hold 35 rows (35 × 6.76 = 236.6; 36 × 6.76 = 243.36 > 243.24)
    assert row_height(("x",), (50.0,)) == 6.76 and BODY_HEIGHT == 250.0
    table = Table(rows=tuple((str(i),) for i in range(36)), widths=(170.0,), header=("序号",))
    pages = paginate_tables("referrals", "移交记录", [table])
    assert [len(p.tables[0].rows) for p in pages] == [35, 1]
    assert pages[1].tables[0].header == ("序号",) and pages[1].title == "移交记录（续）"


def test_review_chain_counts_only_the_current_decision_after_its_last_send_back():
    def sign(step, result, decision):
        return ReviewSign(step, result, "审核员", "2022-05-20T09:00:00Z", decision=decision)

    assert review_complete([sign("审核", "通过", "违法")], "违法")
    assert not review_complete([sign("审核", "通过", "合法")], "违法")  # signed for another decision
    assert not review_complete([sign("审核", "通过", "违法"), sign("审定", "退回", "违法")], "违法")
    assert review_complete([sign("审核", "通过", "违法"), sign("审定", "退回", "违法"), sign("审核", "通过", "违法")],
                           "违法")


def test_legal_patch_without_approvals_lists_them_missing_on_the_catalogue():
    content = DossierContent(fact=fact(PDLX="合法"), evidence=(photo(1), photo(2), photo(3)),
                             reviews=(ReviewSign("审核", "通过", "陈", "2022-05-21", decision="合法"),))
    plan = plan_dossier(content, PrintContext(map_pages=2, keeper="立卷人甲", filed_on="2023-01-10"))
    # 封面 1, 目录 2, 判定表 3, 核查图 4-5 (two map pages), 审批 absent, 照片 3 at two per page: 6-7, 备考表 8
    assert plan.page_count == 8
    rows = {r[1]: r for r in plan.catalogue_rows()}
    assert rows["图斑核查图"][2:4] == ("4-5", "2")
    assert rows["审批、备案资料"][2:4] == ("—", "0")
    assert rows["审批、备案资料"][4] == "缺：合法图斑无批准文号及审批、备案文件"
    assert rows["外业踏勘记录及现场照片"][2] == "6-7"
    assert rows["移交记录"][4] == "不适用"
    assert rows["备考表"][2] == "8"
    assert [len(p.photos) for p in plan.section(VISITS).pages] == [2, 1]
    assert plan.section(APPROVALS).pages == ()
    assert [p.number for p in plan.pages] == list(range(1, 9))


def test_a_document_number_without_its_file_is_still_missing():
    base = fact(PDLX="合法", PZWH="渝府地〔2022〕1号")
    content = DossierContent(fact=base, approvals=(Approval("判定批准文号", "渝府地〔2022〕1号"),), evidence=(photo(1),))
    codes = [m.code for m in content_missing(content)]
    assert LEGAL_NO_APPROVAL_FILE in codes and LEGAL_NO_APPROVAL not in codes


def test_rectified_patch_needs_re_cultivation_or_approval_evidence():
    record = RectificationRecord(id=1, patch_fid=1, JLRQ="2022-06-20", ZGFS="拆除复耕", CCMJ=6.0, FGMJ=4.0,
                                 SYWZGMJ=0.0)
    bare = DossierContent(fact=fact(PDLX="违法"), rectifications=(record,), evidence=(photo(1),))
    assert RECTIFIED_NO_EVIDENCE in [m.code for m in content_missing(bare)]
    accepted = DossierContent(fact=fact(PDLX="违法"), rectifications=(record,),
                              evidence=(photo(1), photo(2, note="复耕验收现场")))
    assert RECTIFIED_NO_EVIDENCE not in [m.code for m in content_missing(accepted)]


def test_a_dossier_exported_before_the_last_change_is_stale():
    done = DossierContent(fact=fact(), exported_at="2022-06-02T08:00:00.00Z", last_change="2022-06-02T07:59:59.99Z")
    assert dossier_missing(done) == []
    later = DossierContent(fact=fact(), exported_at="2022-06-02T08:00:00.00Z", last_change="2022-06-02T08:00:00.01Z")
    assert [m.code for m in dossier_missing(later)] == [DOSSIER_STALE]


def test_readiness_totals_per_town():
    complete = DossierContent(fact=fact("A", PDLX="其他"), evidence=(photo(1),),
                              reviews=(ReviewSign("审核", "通过", "陈", "2022-05-21", decision="其他"),),
                              exported_at="2022-06-02T08:00:00Z", last_change="2022-06-01T08:00:00Z")
    no_photo = DossierContent(fact=fact("B", PDLX="其他"), reviews=complete.reviews,
                              exported_at="2022-06-02T08:00:00Z", last_change="2022-06-01T08:00:00Z")
    other_town = DossierContent(fact=fact("C", town="500118002"))  # undecided, no photo, no dossier: 3 items
    assert all_missing(complete) == [] and [m.code for m in all_missing(no_photo)] == [NO_PHOTO]
    result = check_contents([complete, no_photo, other_town])
    towns = {t.town: (t.patches, t.incomplete, t.items) for t in result.towns}
    assert towns == {"500118001": (2, 1, 1), "500118002": (1, 1, 3)}
    total = district_total(result.towns)
    assert (total.patches, total.incomplete, total.items) == (3, 2, 4) and not result.can_accept
    assert check_contents([complete]).can_accept


def test_approvals_cite_the_decision_the_overlay_and_the_filed_documents():
    from wpzf.domain.casefile.content import approvals_of

    # the stored overlay's cover of a patch: kind → [share 0–1, area m², count, keys] (overlay_cache.figures_of)
    covers = {"NYDZY": [0.965, 6433.3, 2, ["渝府地〔2022〕11号", "渝府地〔2021〕7号"]], "TDGY": [0.0, 0.0, 0, []]}
    document = EvidenceFile(id=9, kind="批文", relative_path="P1/a.pdf", name="批复.pdf", sha256="ab" * 32,
                            number="渝府地〔2022〕11号")
    found = approvals_of(fact(PZWH="渝府地〔2022〕11号；渝府地〔2021〕7号"), [document], covers,
                         {"NYDZY": "农用地转用审批"})
    assert [(a.kind, a.number) for a in found] == [
        ("判定批准文号", "渝府地〔2022〕11号"), ("判定批准文号", "渝府地〔2021〕7号"),
        ("农用地转用审批", "渝府地〔2022〕11号；渝府地〔2021〕7号"), ("批文", "渝府地〔2022〕11号")]
    assert found[2].share == pytest.approx(96.5)  # 0.965 of the patch, printed as 96.5%
    assert found[3].file_name == "批复.pdf" and found[3].sha256 == "ab" * 32
