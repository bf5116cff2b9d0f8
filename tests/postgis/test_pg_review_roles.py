"""层层审查 on PostGIS: the database lets reviewers sign 审核 and approvers 审定, the login signs, once per chain.

Work plan 五(三): "建立图斑核查、图斑数据层层审查、纠错机制"; "分管负责人要参与重大违法图斑的现场核查和合法性
判定" (domain.md §9 Review: 经办 → 审核 → 审定; 重大违法图斑 need the 分管负责人). Each test logs in as
the office's own roles; raw SQL shows the database refuses by itself, whatever the client.
"""
from __future__ import annotations

import psycopg2
import pytest

from wpzf.domain.casework import DecisionInput
from wpzf.domain.casework import review as rv
from wpzf.domain.casework.save import save_decision
from wpzf.domain.rules import available_rulesets, load_ruleset
from wpzf.domain.workspace.postgis import roles
from wpzf.domain.workspace.postgis.store import PgWorkspace

SQUARE = "MULTIPOLYGON(((35580000 3250000, 35580100 3250000, 35580100 3250100, 35580000 3250100, 35580000 3250000)))"
TOWN = "500118101"
USERS = {"tech_a": roles.TECHNICIAN, "rev": roles.REVIEWER, "rev2": roles.REVIEWER, "boss": roles.APPROVER}
MAJOR = DecisionInput(PDLX="违法", JTQX="非农违法", WFLX="厂房", WFMJ=8.0, WFGDMJ=6.0, WFJBNTMJ=0.0)  # ≥ 5 亩: 重大
OTHER = DecisionInput(PDLX="其他", JTQX="实地未变化")


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(available_rulesets()["2022-chongqing"])


@pytest.fixture()
def office(pg_cluster, pg_db, ruleset):
    """Patches A1 (judged 违法, 6 亩 farmland) and A2 (其他) of town A, judged by technician tech_a."""
    ws = PgWorkspace.create(pg_cluster.params(pg_db), 4523, user="admin")
    ws.add_batch("2022-05", "2022-05-06")
    with ws.transaction() as cur:
        for jcbh in ("A1", "A2"):
            cur.execute("""INSERT INTO jctb (geom, "JCBH", batch_id, "XZQDM", "TBMJ") VALUES
                           (ST_GeomFromText(%s, 4523), %s, 1, %s, 6666.67)""", (SQUARE, jcbh, TOWN + "000"))
        for user, role in USERS.items():
            roles.create_user(ws.conn, "wpzf", user, f"pw-{user}", role)
        roles.assign_towns(ws.conn, "wpzf", "tech_a", [TOWN])
    with login_ws(pg_cluster, pg_db, "tech_a") as tech:
        save_decision(tech, 1, MAJOR, ruleset)
        save_decision(tech, 2, OTHER, ruleset)
    yield ws
    ws.close()


def login_ws(pg_cluster, pg_db, user):
    return PgWorkspace.open(pg_cluster.params(pg_db, user=user, password=f"pw-{user}"), user=user)


def raw(pg_cluster, pg_db, user, sql, params=()):
    conn = psycopg2.connect(**pg_cluster.params(pg_db, user=user, password=f"pw-{user}"))
    try:
        with conn.cursor() as cur:
            cur.execute("SET search_path = wpzf, public")
            cur.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def chain_rows(ws):
    return [(r.patch_fid, r.BZ, r.JG, r.SHR) for rows in rv.review_rows(ws.conn).values() for r in rows]


def sign(pg_cluster, pg_db, user, fid, step, ruleset, **kw):
    with login_ws(pg_cluster, pg_db, user) as ws:
        return rv.sign(ws, fid, rv.Signature(step, **kw), ruleset)


INSERT = """INSERT INTO wpzf_review (patch_fid, "BZ", "JG", "SHR", "SHSJ", "PDLX") VALUES (1, %s, '通过', %s, 't', '违法')"""


def test_the_database_refuses_a_step_from_the_wrong_role(office, pg_cluster, pg_db):
    # the technician's save recorded 经办 under his login
    assert chain_rows(office) == [(1, "经办", "通过", "tech_a"), (2, "经办", "通过", "tech_a")]
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="tech_a 不能签署审核.*wpzf_reviewer"):
        raw(pg_cluster, pg_db, "tech_a", INSERT, ("审核", "tech_a"))
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="rev 不能签署审定.*wpzf_approver"):
        raw(pg_cluster, pg_db, "rev", INSERT, ("审定", "rev"))
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="boss 不能签署审核"):
        raw(pg_cluster, pg_db, "boss", INSERT, ("审核", "boss"))
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="审核人必须是登录用户 rev"):
        raw(pg_cluster, pg_db, "rev", INSERT, ("审核", "boss"))
    raw(pg_cluster, pg_db, "rev", INSERT, ("审核", "rev"))
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="不能修改或删除"):
        raw(pg_cluster, pg_db, "rev", """UPDATE wpzf_review SET "SHYJ" = 'x' WHERE "BZ" = '审核'""")
    assert [r for r in chain_rows(office) if r[0] == 1] == [(1, "经办", "通过", "tech_a"), (1, "审核", "通过", "rev")]


def test_reviewer_then_approver_sign_through_the_domain(office, pg_cluster, pg_db, ruleset):
    with pytest.raises(rv.ReviewRefused, match="needs role wpzf_reviewer"):  # the database's refusal, named
        sign(pg_cluster, pg_db, "boss", 1, "审核", ruleset)
    with pytest.raises(rv.ReviewRefused, match="the login signs: rev cannot sign as 王五"):
        sign(pg_cluster, pg_db, "rev", 1, "审核", ruleset, signer="王五")
    chain = sign(pg_cluster, pg_db, "rev", 1, "审核", ruleset, opinion="同意")
    assert (chain.state, chain.reviewed.SHR) == ("待审定", "rev")
    with pytest.raises(rv.ReviewRefused, match="重大违法图斑"):  # 6 亩 ≥ 5 亩: the 分管负责人 must take part
        sign(pg_cluster, pg_db, "boss", 1, "审定", ruleset)
    chain = sign(pg_cluster, pg_db, "boss", 1, "审定", ruleset, opinion="同意", lead=True)
    assert (chain.state, chain.approved.SHR, chain.lead) == ("已审定", "boss", True)


def test_send_back_reopens_until_the_technician_saves_again(office, pg_cluster, pg_db, ruleset):
    chain = sign(pg_cluster, pg_db, "rev", 2, "审核", ruleset, send_back=True, opinion="现场照片缺失")
    assert chain.state == "已退回"
    with pytest.raises(rv.ReviewRefused, match="sent back"):
        sign(pg_cluster, pg_db, "rev2", 2, "审核", ruleset)
    with login_ws(pg_cluster, pg_db, "tech_a") as tech:
        save_decision(tech, 2, OTHER, ruleset)
    assert sign(pg_cluster, pg_db, "rev2", 2, "审核", ruleset).state == "待审定"
    assert [r for r in chain_rows(office) if r[0] == 2] == [
        (2, "经办", "通过", "tech_a"), (2, "审核", "退回", "rev"), (2, "经办", "通过", "tech_a"),
        (2, "审核", "通过", "rev2")]
