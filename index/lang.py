"""Which language and script a query is in: en, zh-Hans or zh-Hant (same rule as for documents)."""
from policyqa.corpus.sources import detect_lang

__all__ = ["detect_lang"]
