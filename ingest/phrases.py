"""The wording rules of the reports, compiled: what marks a change, a share, a period, a region.

The words and patterns themselves are data, in ingest/data/wording.toml (read and checked by ingest/rules.py); a
stage uses a pattern by its name in that file (`PATTERNS["change_tail"]`). Named here only what is derived.
"""

from __future__ import annotations

import re

from yearwise.ingest.rules import wording

_W = wording()

# every [patterns] entry of wording.toml, and each [words] list as an alternation, compiled, by name
PATTERNS = _W.patterns
# verbs after which a number without a unit is a rate: '增长 13.95。'
RATE_VERBS = frozenset(w for w, c in _W.change_words.items() if c.rate)
# +1 / -1 / 0 for a change word (增加, 减少, 持平) or a comparison word (大于, 小于); None for another word
sign = _W.sign
# (pattern, period name) pairs: 上半年 is H1, 1-8月 is M1-8
PERIODS = tuple((p.pattern, p.name) for p in _W.periods)
# a label that states a whole by itself -> its catalog code
WHOLE_LABELS = _W.whole_labels

CJK = re.compile(r"[\u4e00-\u9fff]")
