"""The old column keywords of the analytics and personas calls and their new ``*_col`` names.

One release (``docs/guide/development.md``, "Conventions"): a call that
still writes ``customer="user"`` works, with a
:class:`~cjm_jupyter.errors.CJMDeprecationWarning` naming ``customer_col``
(:func:`cjm_jupyter._deprecate.renamed_keywords`).
"""

from __future__ import annotations

__all__ = ["ALL_COLUMNS", "LOG_COLUMNS", "OLD_COLUMN_KEYWORDS", "SURVEY_COLUMNS"]

#: the event log's column keywords: old name -> new name
LOG_COLUMNS = {"customer": "customer_col", "time": "time_col", "event": "event_col", "segment": "segment_col"}

#: the survey table's column keywords: old name -> new name
SURVEY_COLUMNS = {
    "score": "score_col",
    "touchpoint": "touchpoint_col",
    "customer": "customer_col",
    "segment": "segment_col",
}

#: the log's and the survey's column keywords together (``measure``)
ALL_COLUMNS = {**LOG_COLUMNS, **SURVEY_COLUMNS, "value": "value_col", "respondent": "respondent_col"}

#: every old column keyword (a test checks that no public callable still takes one)
OLD_COLUMN_KEYWORDS = ("customer", "time", "event", "segment", "value", "score", "touchpoint", "respondent")
