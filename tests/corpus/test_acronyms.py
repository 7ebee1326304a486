"""Acronyms a document defines, found by their initials (tiny inputs), and the long forms a bare use lacks."""
from __future__ import annotations

import pytest

from policyqa.corpus.acronyms import defined, expansions, long_form


@pytest.mark.parametrize("before, acronym, expected", [
    ("we will empower small and medium enterprises", "SMEs", "small and medium enterprises"),
    ("The Ministry of Industry and Information Technology", "MIIT", "Ministry of Industry and Information Technology"),
    ("see to it that state-owned enterprises", "SOEs", "state-owned enterprises"),
    ("new arenas like artificial intelligence", "AI", "artificial intelligence"),
    ("the growth of the economy", "GDP", None),  # initials that do not spell it
    ("growth", "GDP", None),  # too few words
    ("the United States", "U", None),  # one letter is no acronym
    ("a pilot of", "PO", None),  # the long form never ends in a function word
])
def test_long_form_is_the_words_whose_initials_spell_the_acronym(before, acronym, expected):
    assert long_form(before, acronym) == expected


def test_defined_keeps_the_first_definition_of_each_acronym():
    text = ("Support small and medium enterprises (SMEs). Help state-owned enterprises (SOEs). "
            "Later: some more enterprises (SMEs) and (NOTE) (x).")
    assert defined(text) == {"SMEs": "small and medium enterprises", "SOEs": "state-owned enterprises"}


def test_expansions_are_the_long_forms_a_bare_use_lacks():
    acronyms = {"SMEs": "small and medium enterprises", "AI": "artificial intelligence"}
    assert expansions("We will refine the systems for SMEs.", acronyms) == ["small and medium enterprises"]
    assert expansions("small and medium enterprises (SMEs) and AI", acronyms) == ["artificial intelligence"]
    assert expansions("SMEsX and MAIL", acronyms) == []  # whole words only
