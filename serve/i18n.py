"""Fixed texts in the user's language and script: answers, notes and the app's labels."""
from __future__ import annotations

from policyqa.corpus.types import Lang

ABSTAIN = {
    "en": "No clause in these documents addresses this.",
    "zh-Hans": "这些文件中没有条款涉及这个问题。",
    "zh-Hant": "這些文件中沒有條款涉及這個問題。",
}
# Why an answer abstained, when a check found what the documents lack (a year, an acronym, a figure).
NOT_MENTIONED = {
    "en": "The documents never mention {what}.",
    "zh-Hans": "这些文件没有提到{what}。",
    "zh-Hant": "這些文件沒有提到{what}。",
}
NOT_IN_ANSWER = {
    "en": "The closest clauses never mention {what}.",
    "zh-Hans": "最相关的条款没有提到{what}。",
    "zh-Hant": "最相關的條款沒有提到{what}。",
}
NO_FIGURE = {
    "en": "The question asks for a figure, and the closest clauses give none.",
    "zh-Hans": "问题问的是数字，最相关的条款没有给出。",
    "zh-Hant": "問題問的是數字，最相關的條款沒有給出。",
}
NO_PLACE = {
    "en": "The question asks where, and the closest clauses name no place.",
    "zh-Hans": "问题问的是地点，最相关的条款没有提到。",
    "zh-Hant": "問題問的是地點，最相關的條款沒有提到。",
}
# The question is Chinese but the supporting clause exists only in English (Qiushi, 2017 report).
ONLY_ENGLISH = {
    "zh-Hans": "所引用的内容只有英文原文，下面显示英文条款。",
    "zh-Hant": "所引用的內容只有英文原文，下面顯示英文條款。",
}
SOME_ENGLISH = {
    "zh-Hans": "部分引用内容只有英文原文，以英文条款显示。",
    "zh-Hant": "部分引用內容只有英文原文，以英文條款顯示。",
}
# The question's script is missing but the other Chinese script exists (user corpora).
OTHER_SCRIPT = {
    "zh-Hans": "所引用的条款没有简体版本，下面显示繁体版本。",
    "zh-Hant": "所引用的條款沒有繁體版本，下面顯示簡體版本。",
    "en": "The cited clause has no English version; it is shown in Chinese.",
}
LANG_LABELS = {"en": "English", "zh-Hans": "简体", "zh-Hant": "繁體"}


def pick(table: dict[str, str], lang: Lang | str) -> str:
    return table.get(lang) or table.get("en") or next(iter(table.values()))


def script_note(question_lang: Lang, cited_langs: list[str]) -> str:
    """A note when the answer had to cite a version in another language than the question's."""
    others = [lang for lang in cited_langs if lang != question_lang]
    if not others:
        return ""
    if question_lang != "en" and "en" in others:
        return (ONLY_ENGLISH if len(others) == len(cited_langs) and set(others) == {"en"} else SOME_ENGLISH)[question_lang]
    return pick(OTHER_SCRIPT, question_lang)
