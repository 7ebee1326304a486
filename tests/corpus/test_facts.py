"""Document facts (corpus.facts): real lines of the bundled documents as units of their own kinds."""
from __future__ import annotations

from policyqa.corpus.facts import fact_lines, fact_units
from policyqa.corpus.types import CONTENT_KINDS, FACT_KINDS

GO = "guiding-opinions-2023"


def test_fact_lines_join_a_wrapped_title_and_group_signatories():
    removed = [("signatory", "教育部"), ("signatory", "财政部"), ("date", "2023年12月28日"), ("title", "关于加快传统"),
               ("title", "制造业转型升级的指导意见"), ("document number", "工信部联规〔2023〕258号"), ("web debris", "undefined"),
               ("byline", "views: release time:2017-03-14")]
    # the page's "release time" is no byline, but its date is the web release date: after the own date line
    assert fact_lines(removed, "zh-Hans") == [("title", "关于加快传统制造业转型升级的指导意见"), ("number", "工信部联规〔2023〕258号"),
                                              ("date", "2023年12月28日"), ("date", "views: release time:2017-03-14"),
                                              ("signature", "教育部\n财政部")]
    assert fact_lines([("byline", "views: 12")], "en") == []  # page furniture without a date stays out


def test_repeated_title_kept_once_and_second_byline_numbered():
    removed = [("title", "The Report"), ("byline", "x"), ("title", "The Report"), ("issuer", "Ministry of A"),
               ("byline", "2024 | Author: B | Source: c")]
    units = fact_units(removed, doc_id="d", family="f", lang="en")
    assert [(u.clause_id, u.text) for u in units] == [
        ("f/meta/title", "The Report"), ("f/meta/byline", "Ministry of A"), ("f/meta/byline2", "2024 | Author: B | Source: c")]
    matter = "\n\n".join(u.text for u in units)
    assert all(matter[u.start:u.end] == u.text for u in units)


def test_bundled_facts_are_units_apart_from_content(store):
    assert all(u.kind in FACT_KINDS for u in store.facts) and all(u.kind in CONTENT_KINDS for u in store.units)
    assert store.get(f"{GO}/meta/date", "zh-Hans").text == "2023年12月28日"
    assert store.get(f"{GO}/meta/date", "en").text == "December 28, 2023"
    assert store.get(f"{GO}/meta/number", "zh-Hant").text == "工信部聯規〔2023〕258號"
    assert store.get(f"{GO}/meta/title", "zh-Hans").text == "工业和信息化部等八部门关于加快传统制造业转型升级的指导意见"
    assert store.get(f"{GO}/meta/signature", "en").text.split("\n")[-1] == "China Securities Regulatory Commission"
    assert {u.lang for u in store.versions(f"{GO}/meta/signature")} == {"en", "zh-Hans", "zh-Hant"}
    assert "Author: CPC Leadership Group" in store.get("qiushi-2024/meta/byline", "en").text
    assert store.get("cm2025-2017/meta/date", "en").text == "(March 11, 2017)"
    assert store.get("cm2025-2017/meta/date2", "en").text == "views: release time:2017-03-14"
    for doc_id in store.docs:
        matter = store.matter(doc_id)
        assert all(matter[u.start:u.end] == u.text for u in store.facts_of(doc_id))


def test_aliases_come_from_the_manifest(store):
    assert "指导意见" in store.doc("guiding-opinions-zh-hans").aliases
    assert "求是" in store.doc("qiushi-2024").aliases
