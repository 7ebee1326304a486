"""The LLM client against a fake OpenAI-compatible server on loopback (the only mock: the environment)."""
from __future__ import annotations

import pytest

from policyqa.corpus.config import Config
from policyqa.serve.llm import LLMClient, LLMRejected, Passage, llm_from_config, markers, renumber, validate
from tests.serve.fake_llm import FakeLLM

SOURCES = [
    Passage(1, "Guiding Opinions · 6. · (16)", "(16) Increase fiscal and tax support. Implement corporate income tax credit policies."),
    Passage(2, "Guiding Opinions · 4. · (11)", "(11) Strengthen intrinsic safety in key industries."),
    Passage(3, "Guiding Opinions · 6. · (Seventeen)", "(Seventeen) Strengthen financial services."),
]


@pytest.fixture()
def fake():
    with FakeLLM() as server:
        yield server


def test_good_reply_is_accepted_and_renumbered(fake):
    fake.reply = ("Yes: companies get a corporate income tax credit for special safety equipment [3]. "
                  "Work safety is also a clause of its own [1].")
    client = LLMClient(fake.base_url, "test-model", "sk-test", timeout=5)
    out = client.generate("Is there a tax credit for safety equipment?", SOURCES, "en")
    assert out.used == (3, 1)
    assert out.text == ("Yes: companies get a corporate income tax credit for special safety equipment [1]. "
                        "Work safety is also a clause of its own [2].")
    req = fake.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["model"] == "test-model"
    user = req["messages"][-1]["content"]
    assert "[1] Guiding Opinions · 6. · (16)" in user and "[3] Guiding Opinions" in user
    assert "Is there a tax credit" in user
    assert fake.headers[0]["Authorization"] == "Bearer sk-test"


def test_chinese_reply_with_markers_after_the_stop(fake):
    fake.reply = "企业购置安全生产专用设备可享受所得税抵免。[1]还要加大财税支持。[1][2]"
    out = LLMClient(fake.base_url, "m", "k", timeout=5).generate("有税收抵免吗？", SOURCES, "zh-Hans")
    assert out.used == (1, 2)
    assert out.text == "企业购置安全生产专用设备可享受所得税抵免[1]。还要加大财税支持[1][2]。"
    assert "Simplified Chinese" in fake.requests[0]["messages"][0]["content"]


def test_reply_citing_a_clause_not_given_is_rejected(fake):
    fake.reply = "There is a tax credit [1]. Banks also lend more [7]."
    with pytest.raises(LLMRejected, match=r"cites \[7\], which was not among the clauses given"):
        LLMClient(fake.base_url, "m", "k", timeout=5).generate("q", SOURCES, "en")


def test_reply_with_an_uncited_sentence_is_rejected(fake):
    fake.reply = "There is a tax credit [1]. It is very generous and everyone qualifies."
    with pytest.raises(LLMRejected, match="a sentence cites no clause: 'It is very generous"):
        LLMClient(fake.base_url, "m", "k", timeout=5).generate("q", SOURCES, "en")


def test_server_error_is_rejected(fake):
    fake.status = 500
    with pytest.raises(LLMRejected, match="HTTP 500"):
        LLMClient(fake.base_url, "m", "k", timeout=5).generate("q", SOURCES, "en")


def test_timeout_is_rejected(fake):
    fake.reply = "Late [1]."
    fake.delay = 1.5
    with pytest.raises(LLMRejected, match="did not answer in time"):
        LLMClient(fake.base_url, "m", "k", timeout=0.3).generate("q", SOURCES, "en")


def test_unreachable_server_is_rejected():
    with FakeLLM() as server:
        url = server.base_url
    with pytest.raises(LLMRejected, match="cannot reach the language model"):
        LLMClient(url, "m", "k", timeout=2).generate("q", SOURCES, "en")


def test_refusal_and_garbage_are_rejected(fake):
    client = LLMClient(fake.base_url, "m", "k", timeout=5)
    fake.reply = "NO_ANSWER"
    with pytest.raises(LLMRejected, match="no answer in the clauses"):
        client.generate("q", SOURCES, "en")
    fake.reply = "   "
    with pytest.raises(LLMRejected, match="empty"):
        client.generate("q", SOURCES, "en")


def test_validate_and_markers():
    assert markers("a [1] b [2, 3] c [1，4]") == [1, 2, 3, 1, 4]
    assert validate("A [1]. B [2][3].", [1, 2, 3]) == ["A [1].", "B [2][3]."]
    with pytest.raises(LLMRejected):
        validate("A [0].", [1, 2])
    assert renumber(["A [2].", "B [2, 1]."], "en") == ("A [1]. B [1][2].", (2, 1))


def test_client_only_when_fully_configured():
    assert llm_from_config(Config()) is None
    assert llm_from_config(Config(llm_base_url="http://127.0.0.1:9/v1", llm_model="m")) is None
    client = llm_from_config(Config(llm_base_url="http://127.0.0.1:9/v1/", llm_model="m", llm_api_key="k"))
    assert client is not None and client.url == "http://127.0.0.1:9/v1/chat/completions"
    client.close()
