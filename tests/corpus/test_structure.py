"""The real bundled corpus through the real ingest: structure, alignment, cleanliness, coverage."""
from __future__ import annotations

import re

import pytest

from policyqa.corpus import cleaning
from policyqa.corpus.config import BUNDLED_CORPUS
from policyqa.corpus.store import build_store
from policyqa.corpus.structure import zh_numeral

GO = "guiding-opinions-2023"
LANGS = ("en", "zh-Hans", "zh-Hant")


def units_of(store, doc_id):
    return [u for u in store.units if u.doc_id == doc_id]


@pytest.mark.parametrize("lang", LANGS)
def test_guiding_opinions_six_sections_eighteen_clauses(store, lang):
    units = [u for u in store.units if u.clause_id.startswith(GO + "/") and u.lang == lang]
    sections = [u.clause_id for u in units if re.fullmatch(rf"{GO}/s\d+", u.clause_id)]
    clauses = [u.clause_id for u in units if u.kind == "clause"]
    assert sections == [f"{GO}/s{i}" for i in range(1, 7)]
    assert clauses == [f"{GO}/c{i}" for i in range(1, 19)]
    assert all(u.kind == "heading" for u in units if u.clause_id in sections)


def test_guiding_opinions_aligned_across_three_languages(store):
    ids = {lang: {u.clause_id for u in store.units if u.clause_id.startswith(GO + "/") and u.lang == lang} for lang in LANGS}
    shared = ids["en"] & ids["zh-Hans"] & ids["zh-Hant"]
    for i in range(1, 19):
        assert {u.lang for u in store.versions(f"{GO}/c{i}")} == set(LANGS)
    for cid in ("intro/p1", "intro/p2", "s1/p1", "s1/p2", "s1/p3"):
        assert f"{GO}/{cid}" in shared
    # The only unshared units are the English news lead.
    assert ids["en"] - shared == {f"{GO}/lead", f"{GO}/lead/p1", f"{GO}/lead/p2"}
    assert ids["zh-Hans"] == ids["zh-Hant"] == shared


def test_parallel_units_say_the_same_thing(store):
    # Spot-check that alignment is by content, not just by count.
    pairs = {
        "c11": ("intrinsic safety", "本质安全", "本質安全"),
        "c17": ("financial services", "金融服务", "金融服務"),
        "s1/p1": ("18th National Congress", "党的十八大以来", "黨的十八大以來"),
        "s1/p2": ("Xi Jinping Thought", "习近平新时代", "習近平新時代"),
        "s1/p3": ("By 2027", "到2027年", "到2027年"),
        "intro/p2": ("Traditional manufacturing is the main body", "传统制造业是我国制造业的主体", "傳統製造業是我國製造業的主體"),
        "intro/p1": ("Xinjiang Production and Construction Corps", "新疆生产建设兵团", "新疆生產建設兵團"),
        "s4": ("green and low-carbon", "绿色低碳", "綠色低碳"),
    }
    for cid, words in pairs.items():
        for lang, word in zip(LANGS, words):
            assert word in store.get(f"{GO}/{cid}", lang).text, (cid, lang)


def test_numbers_and_headings_as_written(store):
    assert store.get(f"{GO}/c11", "en").number == "(11)"
    assert store.get(f"{GO}/c11", "zh-Hans").number == "（十一）"
    assert store.get(f"{GO}/c11", "zh-Hant").number == "(十一)"
    assert store.get(f"{GO}/c17", "en").number == "(Seventeen)"
    assert store.get(f"{GO}/c18", "en").text.startswith("(Eighteen) Expand talent supply.")
    assert store.get(f"{GO}/s4", "en").number == "4."
    assert store.get(f"{GO}/s3", "en").number == "III."
    assert store.get(f"{GO}/s2", "zh-Hans").number == "二、"
    assert store.get(f"{GO}/c4", "zh-Hant").heading == ("二、堅持創新驅動發展,加快邁向價值鏈中高端",)
    assert store.get(f"{GO}/c8", "en").heading[0].startswith("4. Strengthen green and low-carbon")
    assert store.get(f"{GO}/s1/p2", "en").heading == ("I. Development Foundation and Overall Requirements",)
    assert store.get(f"{GO}/intro/p1", "zh-Hans").heading == ()
    assert store.get(f"{GO}/lead/p1", "en").text.startswith("The Ministry of Industry and Information Technology, the National")


def test_metadata_not_units(store):
    meta = store.doc("guiding-opinions-zh-hans")
    assert meta.number == "工信部联规〔2023〕258号" and meta.date == "2023-12-28"
    assert meta.signatories[0] == "工业和信息化部" and len(meta.signatories) == 8
    assert store.doc("guiding-opinions-zh-hant").signatories[-1] == "中國證監會"
    assert store.doc("guiding-opinions-en").signatories[-1] == "China Securities Regulatory Commission"
    texts = [u.text for u in store.units]
    for line in ("工信部联规〔2023〕258号", "工信部聯規〔2023〕258號", "MIIT Joint Regulation [2023] No. 258",
                 "December 28, 2023", "2023年12月28日", "中国证监会", "Ministry of Finance"):
        assert line not in texts
    assert not any(t.startswith("工业和信息化部等八部门关于") for t in texts)


def test_qiushi_seven_parts(store):
    parts = [u for u in units_of(store, "qiushi-2024") if u.kind == "heading"]
    assert [u.clause_id for u in parts] == [f"qiushi-2024/part{i}" for i in range(1, 8)]
    assert [u.number for u in parts] == ["First,", "Second,", "Third,", "Fourth,", "Fifth,", "Sixth,", "Seventh,"]
    assert store.get("qiushi-2024/part3/p2", "en").text.startswith("To reinforce the principal role of enterprises")
    assert [u.clause_id for u in units_of(store, "qiushi-2024") if "intro" in u.clause_id] == [f"qiushi-2024/intro/p{i}" for i in (1, 2, 3)]
    assert store.doc("qiushi-2024").title == "Making Solid Progress on the Key Tasks of New Industrialization"


def test_cm2025_sections_and_items(store):
    units = units_of(store, "cm2025-2017")
    assert [u.clause_id for u in units if u.kind == "heading"] == [f"cm2025-2017/s{i}" for i in (1, 2, 3)]
    counts = [sum(1 for u in units if u.kind == "item" and u.clause_id.startswith(f"cm2025-2017/s{i}/")) for i in (1, 2, 3)]
    assert counts == [6, 3, 6]
    i3 = store.get("cm2025-2017/s1/i3", "en")
    assert i3.number == "3." and i3.text.startswith("3. Implementation of pilot projects")
    assert store.get("cm2025-2017/s2", "en").text == "II. Main Difficulties and Problems"
    assert store.get("cm2025-2017/s3/i6", "en").heading == ("III. Next Steps",)


PINYIN_RESIDUE = re.compile(f"[{cleaning.CJK}]\\([a-zü]+\\)")


def test_no_pinyin_residue_and_no_debris(store):
    for u in store.units:
        assert not PINYIN_RESIDUE.search(u.text), u.key
        for line in u.text.split("\n"):
            assert not cleaning.is_debris_line(line), u.key
            assert not cleaning.is_photo_caption(line), u.key
        for junk in ("Related Downloads", "Related News", "undefined", "views:", "release time", "最新政策",
                     "PHOTO BY", "XINHUA REPORTER", "交通運輸部辦公廳", "Originally appeared"):
            assert junk not in u.text, (u.key, junk)
    for survivor in ("(係統)", "(套)", "(委、局)"):
        assert any(survivor in u.text for u in store.units if u.lang == "zh-Hant")


def test_no_hard_wraps_or_stray_spaces_in_simplified(store):
    for u in store.units:
        if u.lang == "zh-Hans":
            assert "\n" not in u.text and " " not in u.text, u.key
    assert "到2027年" in store.get(f"{GO}/s1/p3", "zh-Hans").text


def _sentences(body: str):
    # Sentence ends: CJK and Latin terminators, a period before a space, or the end of a line.
    for m in re.finditer(r"\S[^\n]*?(?:[。！？!?；;]|\.(?=\s|$)|(?=\n)|$)", body):
        if m.group().strip():
            yield m.start(), m.end()


def test_every_sentence_in_exactly_one_unit(store):
    for doc_id, body in store.bodies.items():
        units = units_of(store, doc_id)
        spans = sorted((u.start, u.end) for u in units)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), f"{doc_id}: units overlap"
        n = 0
        for s, e in _sentences(body):
            owners = [u for u in units if u.start <= s and e <= u.end]
            assert len(owners) == 1, (doc_id, body[s:e][:60])
            n += 1
        assert n > 20
        covered = "".join(body[u.start:u.end] for u in units)
        assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", body)


def test_offsets_point_into_body(store):
    for u in store.units:
        assert store.bodies[u.doc_id][u.start:u.end] == u.text
        assert u.text == u.text.strip() and u.text


def test_ids_identical_across_two_runs(store):
    again = build_store(BUNDLED_CORPUS)
    key = lambda s: [(u.clause_id, u.lang, u.kind, u.number, u.text, u.start, u.end) for u in s.units]
    assert key(again) == key(store)
    assert again.corpus_hash == store.corpus_hash


def test_zh_numeral():
    assert [zh_numeral(s) for s in ("一", "十", "十一", "十八", "二十", "二十三")] == [1, 10, 11, 18, 20, 23]
    assert zh_numeral("各") is None
