"""The wording rules of the reports, compiled: what marks a change, a share, a period, a region.

The words and patterns themselves are data, in ingest/data/wording.toml (read and checked by ingest/rules.py);
this module gives them the names the stages use.
"""

from __future__ import annotations

import re

from yearwise.ingest.rules import wording

_W = wording()
_P = _W.patterns

# change words and their signs (增加 +1, 减少 -1, 持平 0) and comparison words (大于 +1, 小于 -1)
CHANGE_WORDS = _W.change_words
# verbs after which a number without a unit is a rate: '增长 13.95。'
RATE_VERBS = frozenset(w for w, c in CHANGE_WORDS.items() if c.rate)
sign = _W.sign

CHANGE_TAIL = _P["change_tail"]
CHANGE_WITH_OBJECT = _P["change_with_object"]
COMPARED_TAIL = _P["compared_tail"]
CHANGE_BEFORE_OBJECT = _P["change_before_object"]
FLAT_WORDS = _P["flat_words"]
COMPARISON = _P["comparison"]
COMPARED_YEAR = _P["compared_year"]
PRIOR_LEVEL_TAIL = _P["prior_level_tail"]
SHARE_TAIL = _P["share_tail"]
PERIODS = tuple((p.pattern, p.name) for p in _W.periods)
REGION_MARKERS = _P["region_markers"]
SELF_MARKERS = _P["self_markers"]
LABEL_LEAD = _P["label_lead"]
LABEL_TAIL = _P["label_tail"]
LABEL_BREAK = _P["label_break"]
UNIT_HEADER = _P["unit_header"]
OUTPUT_SECTIONS = _P["output_sections"]
FUND_QUALIFIER = _P["fund_qualifiers"]
WHOLE_LABELS = _W.whole_labels
EARLIER_YEAR_CLAUSE = _P["earlier_year_clause"]
OVER_BUDGET_TAIL = _P["over_budget_tail"]
AGAINST_BUDGET = _P["against_budget"]
AGAINST_LAST_YEAR = _P["against_last_year"]
CLASS_MARK = _P["class_mark"]
MEANINGLESS_LABEL = _P["meaningless_label"]

CJK = re.compile(r"[\u4e00-\u9fff]")
