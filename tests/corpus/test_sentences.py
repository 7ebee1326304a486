"""Sentence splitting for quotes: English abbreviations and numbers, Chinese punctuation, offsets."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyqa.corpus.types import Unit
from policyqa.serve.records import clause_title
from policyqa.corpus.sentences import MAX_CHARS, split_sentences


def texts(text: str, **kw) -> list[str]:
    return [s.text for s in split_sentences(text, **kw)]


@pytest.mark.parametrize("text,expected", [
    ("The plan (No. 258) was issued. It covers e.g. steel and U.S. firms.",
     ["The plan (No. 258) was issued.", "It covers e.g. steel and U.S. firms."]),
    ("Mr. Smith met Dr. Li. They agreed.", ["Mr. Smith met Dr. Li.", "They agreed."]),
    ("Output grew 3.5% and 61.8% of firms went digital. 2024 will be harder!",
     ["Output grew 3.5% and 61.8% of firms went digital.", "2024 will be harder!"]),
    ("1. Plans were made. 2. Work began.", ["1. Plans were made.", "2. Work began."]),
    ("3.Implementation is key. Really?", ["3.Implementation is key.", "Really?"]),
    ("Visit www.miit.gov.cn for details.The end came.", ["Visit www.miit.gov.cn for details.", "The end came."]),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
    ("no capital after. so one sentence", ["no capital after. so one sentence"]),
])
def test_english(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("强化重点行业本质安全。推进化工园区安全改造；加快淘汰落后工艺！是否有效？",
     ["强化重点行业本质安全。", "推进化工园区安全改造；", "加快淘汰落后工艺！", "是否有效？"]),
    ("他說「好。」然後走了。", ["他說「好。」", "然後走了。"]),
    # The traditional-script seed uses half-width marks next to Chinese text.
    ("推進化工園區;加快淘汰!是否有效?", ["推進化工園區;", "加快淘汰!", "是否有效?"]),
    ("统计显示增长3.5%，效果明显。", ["统计显示增长3.5%，效果明显。"]),
    ("The 2017 report（2017年报告）was issued. 报告发布。", ["The 2017 report（2017年报告）was issued.", "报告发布。"]),
])
def test_chinese(text, expected):
    assert texts(text) == expected


def test_offsets_point_into_the_text_and_skip_the_clause_number():
    text = "（十一）强化重点行业本质安全。  推进化工园区改造。"
    spans = split_sentences(text, skip_prefix="（十一）")
    assert [(s.start, s.end) for s in spans] == [(4, 15), (17, 26)]
    assert all(text[s.start:s.end] == s.text for s in spans)
    # A prefix the text does not start with is ignored.
    assert split_sentences("(11) Text.", skip_prefix="(12)")[0].text == "(11) Text."


def test_blank_line_ends_a_sentence():
    # A blank line used to keep the splitter in place forever.
    assert texts("第一段\n\n第二段") == ["第一段", "第二段"]
    assert texts("Heading\n\n\n\nBody text") == ["Heading", "Body text"]
    assert texts("\n\n") == [] and texts("") == []


def test_overlong_run_is_cut_at_commas():
    text = "，".join(["推进制造业数字化转型"] * 60) + "。"
    spans = split_sentences(text)
    assert len(spans) > 1 and all(len(s.text) <= MAX_CHARS for s in spans)
    assert all(s.text.endswith(("，", "。")) for s in spans)
    assert "".join(s.text for s in spans) == text


def _unit(number: str, text: str, lang="en", kind="clause") -> Unit:
    return Unit("d", "d/c1", lang, kind, ("Heading",), number, text, 0, len(text))


def test_clause_title_is_number_and_first_sentence():
    assert clause_title(_unit("(11)", "(11) Strengthen intrinsic safety in key industries. Do more.")) == \
        "(11) Strengthen intrinsic safety in key industries"
    assert clause_title(_unit("（十一）", "（十一）强化重点行业本质安全。推进改造。", "zh-Hans")) == "（十一）强化重点行业本质安全"
    assert clause_title(_unit("", "A plain paragraph.", kind="paragraph")) == ""
    assert clause_title(_unit("", "四、加强组织保障", "zh-Hans", kind="heading")) == "四、加强组织保障"
    long = clause_title(_unit("(1)", "(1) " + "word " * 60 + "end."))
    assert len(long) == 120 and long.endswith("…")


_ALPHABET = st.sampled_from(list("ab AZ.!?;。！？；，,\n\"”」）)3年業业") + ["No.", "U.S.", "e.g.", "3.5", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_spans_are_ordered_exact_and_lose_no_text(text):
    spans = split_sentences(text)
    covered = set()
    last = 0
    for s in spans:
        assert last <= s.start < s.end and text[s.start:s.end] == s.text
        assert s.text == s.text.strip() and len(s.text) <= MAX_CHARS
        covered.update(range(s.start, s.end))
        last = s.end
    # Only whitespace falls between sentences.
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
