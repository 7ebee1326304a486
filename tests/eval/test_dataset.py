"""The evaluation set: its shape, and every gold clause id exists in the real clause store."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from policyqa.corpus.errors import UsageError
from policyqa.eval.dataset import KINDS, QUESTIONS, load_questions, missing_gold, qrels_dict


def test_question_set_shape():
    qs = load_questions()
    assert len(qs) >= 130
    langs = Counter(q.lang for q in qs)
    assert all(langs[lang] >= len(qs) // 4 for lang in ("en", "zh-Hans", "zh-Hant")), langs
    kinds = Counter(q.kind for q in qs)
    assert set(kinds) == set(KINDS)
    assert kinds["out_of_scope"] >= 12
    assert all(len(q.gold) >= 2 for q in qs if q.kind == "multi_clause")
    # cross-lingual: Chinese questions, in both scripts, about the English-only documents
    cross = [q for q in qs if q.cross_lingual]
    assert {q.lang for q in cross} == {"zh-Hans", "zh-Hant"} and len(cross) >= 20
    assert len(qrels_dict(qs)) == len(qs) - kinds["out_of_scope"]


def test_every_gold_id_exists_in_the_store(store):
    qs = load_questions()
    assert missing_gold(qs, {u.clause_id for u in store.units}) == []
    # gold points at text units (clauses, items, paragraphs), never at a bare heading
    kinds = {u.clause_id: u.kind for u in store.units}
    assert {kinds[g] for q in qs for g in q.gold} <= {"clause", "item", "paragraph"}


def test_gold_paragraphs_are_the_ones_meant(store):
    """Spot checks that paragraph numbering matches the text the questions were written against."""
    en = {u.clause_id: u.text for u in store.units if u.lang == "en"}
    assert "exceed 90% and 70%" in en["guiding-opinions-2023/s1/p3"]
    assert "nearly 80%" in en["guiding-opinions-2023/s1/p1"]
    assert "Acting in Concert" in en["qiushi-2024/part7/p3"]
    assert "monitoring, forecasting, and early warning" in en["qiushi-2024/part1/p3"]  # after a photo caption
    assert "15 key milestone projects" in en["cm2025-2017/s1/i2"]
    assert "20 to 30 cities" in en["cm2025-2017/s3/i2"]


def test_bad_lines_are_named(tmp_path):
    path = tmp_path / "q.jsonl"
    good = json.loads(QUESTIONS.read_text(encoding="utf-8").splitlines()[0])
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "x", "kind": "other"}) + "\n")
    with pytest.raises(UsageError, match=r"q.jsonl:2: kind 'other'"):
        load_questions(path)
    path.write_text(json.dumps({**good, "kind": "out_of_scope"}) + "\n")
    with pytest.raises(UsageError, match="empty gold list"):
        load_questions(path)
    path.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n")
    with pytest.raises(UsageError, match="duplicate question id"):
        load_questions(path)


def test_halves_split_by_the_ids_trailing_number():
    from policyqa.eval.dataset import select_half

    qs = load_questions()
    odd, even = select_half(qs, "odd"), select_half(qs, "even")
    assert len(odd) + len(even) == len(qs) and not {q.id for q in odd} & {q.id for q in even}
    assert next(q for q in qs if q.id == "en01").half == "odd" and next(q for q in qs if q.id == "kwhant28").half == "even"
    assert select_half(qs, None) == tuple(qs)
    with pytest.raises(UsageError, match="unknown half"):
        select_half(qs, "first")  # type: ignore[arg-type]


def test_keyword_queries_are_short_and_in_every_script():
    kw = [q for q in load_questions() if q.kind == "keyword"]
    assert len(kw) >= 60
    assert {q.lang for q in kw} == {"en", "zh-Hans", "zh-Hant"}
    for q in kw:
        if q.lang == "en":
            assert 1 <= len(q.query.split()) <= 4, q.query
        else:
            assert 2 <= len(q.query) <= 8, q.query
        assert len(q.gold) == 1
