"""Who and when a report is about: department, fiscal year, kind and entity level, each with the line that said it.

Places are tried in order of trust: the title (the first lines naming a kind of report), header lines (a body named
alone on a line, the site's banner), 单位名称/主管部门 fields, the signature at the end, then the file name; the first
place that names a department decides, and the report keeps that place and line as evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from yearwise.ingest.families import kind_words, title_words
from yearwise.ingest.numerals import LISTED, ORDINAL, PART
from yearwise.ingest.rules import alternation

# report kinds by the words of a title; the first that matches wins (a 绩效自评表 of a 预算 project is an evaluation)
# documents that are not a department's report: a region's budget report to its congress, a news article
REGION_FINANCE = re.compile(
    r"(?:关于)?[\u4e00-\u9fff]{0,12}?(?:省|市|区|县|州|旗)(?:本级)?\s*(?:20\d\d|19\d\d)\s*年(?:度)?"
    r"(?:全(?:省|市|区|县))?(?:一般公共)?(?:财政)?(?:预算执行情况|财政决算|决算(?:草案)?的报告|预算(?:草案)?的报告)"
)
NEWS = re.compile(r"(?:记者|通讯员|新闻中心|本报讯|新华社|责任编辑|来源[:：]\s*[\u4e00-\u9fff]{0,8}(?:报|新闻|电视台|日报))")
TITLE_KINDS = alternation(title_words())  # words that end a report's title: 决算, 预算, 绩效评价 …
YEAR = r"(20\d\d|19\d\d)\s*年度?"
# '上海市普陀区财政局2024年度部门决算', '北京市公园管理中心2016年部门预算情况的说明', '省法院2017年度部门预算公开'
TITLE = re.compile(
    rf"(?P<dept>[\u4e00-\u9fff()（）、]{{2,40}}?)\s*(?:关于)?\s*{YEAR}\s*[\u4e00-\u9fff ]{{0,8}}?(?:{TITLE_KINDS})"
)
# '2023年北京市朝阳区财政局部门决算': the year first, then the department
YEAR_FIRST = re.compile(
    rf"^{YEAR}\s*(?P<dept>[\u4e00-\u9fff()（）]{{2,40}}?)\s*(?:部门|单位)(?:整体)?[\u4e00-\u9fff]{{0,4}}?(?:{TITLE_KINDS})"
)
HEADLESS = re.compile(rf"^{YEAR}\s*[\u4e00-\u9fff ]{{0,8}}?(?:{TITLE_KINDS})")
# a department's name ends with the word for its kind of body
ORG_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公厅|办公室|厅|院|中心|部|会|所|站|馆|园|校|队|处|署|社|团|幼儿园|法院|检察院|政府|街道|镇|乡"
    r"|学校|中学|小学|大学|学院|医院|政协|人大|党校|办|公司|集团|协会|联合会)$"
)
NOT_DEPT = re.compile(rf"^(?:部门|单位|本部门|本单位|我部门|{PART}|目录|关于|欢迎|首页|当前位置)")
LEAD_JUNK = re.compile(rf"^(?:{PART}|{LISTED}|\(?[{ORDINAL}]+\)|关于)\s*")
# a placeholder where a template leaves the name or the year blank: 上海市XX局, ××单位, 20XX年
PLACEHOLDER = re.compile(r"[XxＸ×*＊]{2,}|某某|\bXXXX\b")
PLACEHOLDER_YEAR = re.compile(r"20[XxＸ×*＊]{2}\s*年")
# a name that begins with where the body sits (上海市…, 南县…, 中共…委, 江苏省…) carries its region already
REGION_LEAD = re.compile(r"^(?:中共|中国共产党|中國共産黨|中国|中國)?[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|州|盟|旗|自治区|特别行政区)")
# the title's wrapped first line: short, only a name (no digits, no punctuation), not a heading
NAME_LINE = re.compile(r"^[\u4e00-\u9fff()（）]{2,24}$")
# a site's banner: '欢迎来到南县政协网站!', '南县政协门户网站'
BANNER = re.compile(r"(?:欢迎(?:来到|访问|光临))?(?P<dept>[\u4e00-\u9fff]{2,24}?)(?:门户)?网站")
# the level of the body a report is about: a 部门 report consolidates its units; a 单位/本级 report is one unit
UNIT_LEVEL = re.compile(r"单位(?:整体)?(?:决算|预算|绩效)|\(本级\)|（本级）|本级(?:决算|预算)")
DATE_LINE = re.compile(r"^\s*(?:20\d\d|二〇[一二三四五六七八九〇零]{2})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where one field of a report's identity was read: the place (title, header …) and the line itself."""

    field: str  # department | year | kind | entity
    value: str
    place: str  # title | header | field | signature | body | file name
    line: str

    def __str__(self) -> str:
        return f"{self.field}={self.value} ({self.place}: {self.line[:60]})"


@dataclass(frozen=True, slots=True)
class ReportMeta:
    department: str | None
    year: int | None
    doc_kind: str
    entity_level: str = "department"  # department (consolidated 部门) | unit (单位, 本级)
    evidence: tuple[Evidence, ...] = ()
    placeholder: str | None = None  # the line where a template placeholder (XX局, 20XX年) stands, if any

    def said(self, field: str) -> Evidence | None:
        return next((e for e in self.evidence if e.field == field), None)


def detect(text: str, head_chars: int = 3000, source: str = "") -> ReportMeta:
    """Department, year, kind and entity level from `text` (a view: simplified characters), with their evidence."""
    head = text[:head_chars]
    lines = [ln.strip(" |\t") for ln in head.split("\n")]
    evidence: list[Evidence] = []
    department, year, line = _from_title(lines)
    if department:
        evidence.append(Evidence("department", department, "title", line))
    if year is not None:
        evidence.append(Evidence("year", str(year), "title", line))
    if department is None:
        for place, finder in (("header", _from_header), ("field", _from_fields), ("signature", _from_signature),
                              ("body", _from_body)):
            found = finder(text if place in ("signature", "body") else head, lines)
            if found:
                department, line = found
                evidence.append(Evidence("department", department, place, line))
                break
    if department is None and source and (found := _from_file_name(source)):
        department, line = found
        evidence.append(Evidence("department", department, "file name", line))
    if year is None:
        years = Counter(int(y) for y in re.findall(r"(20\d\d)\s*年", head))
        if years:
            year = years.most_common(1)[0][0]
            evidence.append(Evidence("year", str(year), "header", f"most frequent year of the first lines ({years[year]}×)"))
    kind, kind_line = _kind_of(lines)
    if kind:
        evidence.append(Evidence("kind", kind, "title", kind_line))
    if (m := UNIT_LEVEL.search(" ".join(lines[:12]))):
        level = "unit"
        evidence.append(Evidence("entity", level, "title", m.group()))
    else:
        level = "department"
    mark = PLACEHOLDER.search(text) or PLACEHOLDER_YEAR.search(text)
    placeholder = _line_at(text, mark.start()) if mark else None
    return ReportMeta(department, year, kind or "unknown", level, tuple(evidence), placeholder)


def _from_title(lines: list[str]) -> tuple[str | None, int | None, str]:
    """The title: the first line (or a line wrapped onto the next ones) naming a department, a year and a kind."""
    department = year = None
    said = ""
    for i, line in enumerate(lines):
        yf = YEAR_FIRST.match(line)
        if yf and (d := _clean(yf.group("dept"))):
            return _with_wrapped_head(d, lines, i, yf.start("dept")), int(yf.group(1)), line
        joined = line
        m = TITLE.search(line)
        for k in (1, 2):  # a title wrapped before its last words ('…2018年度部门\n预算公开', '社会工作部 2024 年度\n部门决算')
            if m or i + k >= len(lines) or not re.search(r"(?:年度?|部门|单位)$", joined.rstrip()):
                break
            joined += lines[i + k]
            m = TITLE.search(joined)
        if m:
            dept = _clean(m.group("dept"))
            if dept or year is None:
                year, said = int(m.group(2)), joined
            if dept:
                return _with_wrapped_head(dept, lines, i, m.start("dept")), year, joined
        elif (h := HEADLESS.match(line)):  # a title without the department: it stands on the line(s) above
            year, said = int(h.group(1)), line
            before = [ln for ln in lines[max(0, i - 2) : i] if ln]
            for k in range(len(before)):
                joined = "".join(before[k:])
                if ORG_SUFFIX.search(joined) and len(joined) <= 40 and (department := _clean(joined)):
                    return department, year, "\n".join(before[k:] + [line])
    return department, year, said


def _with_wrapped_head(dept: str, lines: list[str], i: int, at: int) -> str:
    """'中共上海市普陀区委\\n社会工作部 2024 年度部门决算': a name without its region, starting its line, continues the
    short name line above it."""
    if at > 0 or REGION_LEAD.match(dept) or i == 0:
        return dept
    above = next((ln for ln in reversed(lines[max(0, i - 2) : i]) if ln), "")
    if NAME_LINE.match(above) and not _kind(above) and REGION_LEAD.match(above) and (full := _clean(above + dept)):
        return full
    return dept


def _from_header(head: str, lines: list[str]) -> tuple[str, str] | None:
    """A body named alone on one of the first lines, or the site's banner ('欢迎来到南县政协网站')."""
    for line in lines[:8]:
        if NAME_LINE.match(line) and REGION_LEAD.match(line) and (d := _clean(line)):
            return d, line
        if (m := BANNER.search(line)) and (d := _clean(m.group("dept"))):
            return d, line
    return None


# where a report names itself outside a title: a form's 主管部门/单位名称 cell
NAMED = (
    re.compile(r"(?:主管部门|单位名称|部门名称|预算单位)\s*\|?\s*[:：]?\s*(?:\d+-)?(?P<dept>[\u4e00-\u9fff()]{2,40})"),
    re.compile(r"(?:^|\n)\s*(?:编制)?部\s*门\s*[:：]\s*(?P<dept>[\u4e00-\u9fff()]{2,40})"),
)
# the body text naming the department: '(以下简称…)', '…”设立了预算机构', '设立中国致公党北京市委员会', the most
# frequent 'X局2024年度…' phrase
BODY = (
    re.compile(r"(?P<dept>[\u4e00-\u9fff]{2,40})\s*\(以下简称"),
    re.compile(r"(?P<dept>[\u4e00-\u9fff]{4,40})[”\"]?\s*设立了?预算(?:机构|单位)"),
    re.compile(r"(?:^|[,。;])\s*设立(?P<dept>[\u4e00-\u9fff]{4,40}?)。"),
    re.compile(r"关于(?P<dept>[\u4e00-\u9fff]{4,40}?)机构设置"),
)


def _from_fields(head: str, lines: list[str]) -> tuple[str, str] | None:
    found = [(d, m.group().strip()) for rx in NAMED for m in rx.finditer(head) if (d := _clean(m.group("dept")))]
    return _most_frequent(found)


def _from_signature(text: str, lines: list[str]) -> tuple[str, str] | None:
    """The body signing the report: a name line right above the closing date."""
    tail = [ln.strip(" |\t") for ln in text[-600:].split("\n")]
    for k in range(len(tail) - 1, 0, -1):
        if DATE_LINE.match(tail[k]) and NAME_LINE.match(tail[k - 1]) and (d := _clean(tail[k - 1])):
            return d, tail[k - 1] + " / " + tail[k]
    return None


def _from_body(text: str, lines: list[str]) -> tuple[str, str] | None:
    found = [(d, _line_at(text, m.start())) for m in TITLE.finditer(text) if (d := _clean(m.group("dept")))]
    if not found:
        head = text[:5000]
        found = [(d, m.group().strip()) for rx in BODY for m in rx.finditer(head)
                 if (d := _clean(m.group("dept")))]
    return _most_frequent(found)


def _from_file_name(source: str) -> tuple[str, str] | None:
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    m = TITLE.search(name) or YEAR_FIRST.search(name)
    if m and (d := _clean(m.group("dept"))) and not PLACEHOLDER.search(d):
        return d, name
    return None


def _most_frequent(found: list[tuple[str, str]]) -> tuple[str, str] | None:
    if not found:
        return None
    best = Counter(d for d, _ in found).most_common(1)[0][0]
    return best, next(line for d, line in found if d == best)


def _kind_of(lines: list[str]) -> tuple[str | None, str]:
    """The first line naming a kind decides (a title precedes any table of contents); a region's budget report or
    a news article is no department's report."""
    for line in lines[:12]:
        if REGION_FINANCE.search(line) and not re.search(r"部门|单位", line):
            return "region_finance", line
    if sum(1 for ln in lines[:40] if NEWS.search(ln)) and not any(_kind(ln) for ln in lines[:3]):
        return "news", next(ln for ln in lines[:40] if NEWS.search(ln))
    for line in lines:
        if (k := _kind(line)):
            return k, line
    return None, ""


def _kind(s: str) -> str | None:
    for kind, words in kind_words():  # the families registered now (YEARWISE_FAMILIES may add some)
        if any(w in s for w in words):
            return kind
    return None


def _line_at(text: str, i: int) -> str:
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    return text[start : end if end >= 0 else len(text)].strip()[:120]


def _clean(dept: str) -> str | None:
    dept = LEAD_JUNK.sub("", dept.strip())
    dept = re.sub(r"(?:\(本级\)|本级)$", "", dept)
    if len(dept) < 2 or NOT_DEPT.match(dept) or not ORG_SUFFIX.search(dept):
        return None
    return dept
