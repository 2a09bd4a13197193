"""Readers: every supported format gives a normalised Document; real PDFs come out with whole sentences and numbers."""

from __future__ import annotations

import hashlib
import re

import pytest

from conftest import CHINESE, HTML_PAGE, make_docx, make_text_pdf
from yearwise.ingest.model import Document
from yearwise.ingest.normalize import normalize
from yearwise.ingest.readers import read, sniff
from yearwise.ingest.readers.pdf import layout

# ------------------------------------------------------------------ normalize


def test_normalize_folds_width_and_line_ends_only():
    raw = "收入（万元）：２，９９５．３９\r\n增长１．８７％。\r合计\u00a0A\u200b\x00、繁體"
    assert normalize(raw) == "收入(万元):2,995.39\n增长1.87%。\n合计 A、繁體"


def test_normalize_keeps_chinese_punctuation_that_has_no_narrow_form():
    assert normalize("一、说明。“三公”经费") == "一、说明。“三公”经费"


# ------------------------------------------------------------------ text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-32"])
def test_text_in_any_common_encoding_reads_the_same(files, encoding):
    path = files(f"report-{encoding}.txt", CHINESE.encode(encoding))
    doc = read(path)
    assert isinstance(doc, Document)
    assert doc.format == "txt"
    assert doc.text == normalize(CHINESE)
    assert "收入支出总计2995.39万元,与2023年度相比减少56.95万元" in doc.text
    assert doc.pages is None and doc.page_starts == ()


def test_gb18030_only_characters(files):
    text = "㐀䶵部门决算𠀀说明：合计100万元。"  # outside GBK: needs GB18030's four-byte forms
    assert read(files("x.txt", text.encode("gb18030"))).text == normalize(text)


def test_big5_traditional_text_is_not_misread_as_gb18030(files):
    text = "中關村科技園區管理委員會2023年度部門整體績效評價報告。部門預算執行率為98.5%，較上年增長。\n"
    assert read(files("big5.txt", text.encode("big5"))).text == normalize(text)


def test_document_records_source_as_given_and_sha256_of_bytes(files):
    data = CHINESE.encode("gbk")
    path = files("上海市 普陀区（测试）.txt", data)
    doc = read(str(path))
    assert doc.source == str(path)
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_crlf_text_becomes_lf(files):
    doc = read(files("crlf.text", CHINESE.replace("\n", "\r\n").encode("utf-8")))
    assert "\r" not in doc.text and doc.text.count("\n") == 2


# ------------------------------------------------------------------ html


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_keeps_only_the_content_with_table_rows_in_order(files, charset):
    page = HTML_PAGE.format(charset=charset)
    doc = read(files("page.shtml", page.encode(charset)))
    assert doc.format == "html"
    assert doc.text.splitlines() == [
        "普陀区财政局2024年度部门决算",  # the page title leads: it names the department and year the body omits
        "一、收入支出决算总体情况说明",
        "2024年度收入支出总计2,995.39万元,与2023年度相比,减少56.95万元,下降1.87%。",
        "项目 | 决算数 | 上年数",
        "收入合计 | 2,946.25 | 3,003.20",
        "支出合计 | 2,940.05 | 3,003.19",
        "主要原因:人员变化。",
    ]
    for noise in ("首页", "当前位置", "var menu", "color", "版权所有"):
        assert noise not in doc.text


def test_html_without_charset_meta_is_decoded_like_text(files):
    page = HTML_PAGE.replace('<meta charset="{charset}">', "").format()
    doc = read(files("page.htm", page.encode("gb18030")))
    assert "收入合计 | 2,946.25 | 3,003.20" in doc.text


def test_html_without_content_class_falls_back_to_body(files):
    page = "<html><body><nav>首页 导航</nav><p>部门决算说明：</p><p>支出合计100万元。</p></body></html>"
    assert read(files("plain.html", page)).text == "部门决算说明:\n支出合计100万元。"


def test_html_form_around_the_whole_page_is_not_dropped(files):
    """ASP.NET portals wrap the entire page in <form id="form1">; only nested furniture goes."""
    page = """<html><body><form id="form1"><div class="nav"><ul class="menu"><li class="nav-item">首页</li></ul>
    栏目导航</div><div id="zoom"><p>一、部门概况</p><p>本部门共有编制20人，实有18人。</p></div>
    <footer><div class="footer-nav">版权所有 主办单位</div></footer></form></body></html>"""
    assert read(files("aspx.html", page)).text == "一、部门概况\n本部门共有编制20人,实有18人。"


def test_html_layout_table_around_a_word_exported_data_table(files):
    """Old portal pages lay out with tables; Word puts <p> in every data cell. Rows must still be rows."""
    body = "本部门负责本区财政收支管理工作。" * 30
    page = f"""<html><head><meta charset="utf-8"></head><body><table width="100%"><tr>
    <td class="leftmenu"><ul><li>机构概况</li><li>财政预决算</li></ul></td>
    <td class="content"><p>一、部门概况</p><p>{body}</p>
    <table border="1"><tr><td><p>项目</p></td><td><p>金额</p></td></tr>
    <tr><td><p>基本支出</p></td><td><p>2,336.91</p></td></tr></table><p>以上为决算数。</p></td>
    </tr></table></body></html>"""
    lines = read(files("old.htm", page)).text.splitlines()
    assert lines == ["一、部门概况", body, "项目 | 金额", "基本支出 | 2,336.91", "以上为决算数。"]


# ------------------------------------------------------------------ docx


def test_docx_paragraphs_and_table_rows_in_document_order(tmp_path):
    doc = read(make_docx(tmp_path / "决算.docx"))
    assert doc.format == "docx"
    assert doc.text.splitlines() == [
        "一、收入支出决算总体情况说明",
        "2024年度收入支出总计2,995.39万元。",
        "项目 | 决算数 | 上年数",
        "收入合计(含结转) | 2,946.25",  # the merged cell once, not twice
        "支出合计 | 2,940.05 | 3,003.19",
        "表后说明:数据为决算数。",
    ]


# ------------------------------------------------------------------ pdf (generated)


def test_small_generated_pdf(files):
    doc = read(files("tiny.pdf", make_text_pdf()))
    assert doc.format == "pdf"
    assert doc.text == "Total 2995.39"
    assert doc.pages == 1 and doc.page_starts == (0,)


def test_sniff_recognises_real_content(tmp_path):
    assert sniff(make_text_pdf()) == "pdf"
    assert sniff(make_docx(tmp_path / "a.docx").read_bytes()) == "docx"
    assert sniff(HTML_PAGE.format(charset="utf-8").encode()) == "html"
    assert sniff(CHINESE.encode("gbk")) == "txt"


# ------------------------------------------------------------------ pdf layout rules (no geometry: widths estimated)

FULL = "江苏省委办公厅2018年度收入、支出预算总计24458.43万"  # a full-width line of the page


def test_page_number_inside_a_sentence_is_dropped_and_the_sentence_joined():
    pages = [
        "1\r\n第一部分 部门概况\r\n一、主要职能\r\n负责省委重要工作部署贯彻落实的督促检查。",
        "2\r\n" + FULL + "\r\n元，与上年相比收、支预算总计各增加3608.98万元，增长",
        "3\r\n17.31%。主要原因是人员经费政策性调增。\r\n（一）收入预算总计24458.43万元。",
    ]
    text, starts = layout(pages)
    assert "总计24458.43万元,与上年相比" in text  # '万|元' split inside a page
    assert "增长17.31%。" in text  # across the page break, page number '3' removed
    assert not re.search(r"^\d+$", text, re.M)
    assert len(starts) == 3
    assert text[starts[2]:].startswith("17.31%")
    assert text[starts[1] - 1] == "\n" and text[starts[2] - 1] == "长"  # page 3 glued, page 2 not


@pytest.mark.parametrize("marker", ["- 4 -", "— 4 —", "─ 4 ─", "第4页", "第 4 页", "4/13"])
def test_decorated_page_numbers_at_the_bottom(marker):
    text, _ = layout(["部门预算公开说明文字，第一页内容。\r\n" + marker])
    assert text == "部门预算公开说明文字,第一页内容。"


def test_a_lone_number_on_one_page_is_kept():
    text, _ = layout(["合计\r\n4"])
    assert text == "合计\n4"


def test_number_split_from_its_unit_is_joined_but_headings_and_table_rows_are_not():
    page = "\r\n".join([
        "本年支出合计2940.05万元，其中：基本支出2336.91万元，项目支出",
        "603.14万元，占20.51%；年初预算为307.82",
        "万元。",
        "二、收入决算情况说明",
        "201 06 01 行政运行 1,511.90 1,511.89 0.01",
        "201 06 02 一般行政管理事务 16.19 10.00 6.19",
        "本年收入合计 2,946.25 本年支出合计 2,940.05",
    ])
    lines = layout([page])[0].splitlines()
    assert lines == [
        "本年支出合计2940.05万元,其中:基本支出2336.91万元,项目支出603.14万元,占20.51%;年初预算为307.82万元。",
        "二、收入决算情况说明",
        "201 06 01 行政运行 1,511.90 1,511.89 0.01",
        "201 06 02 一般行政管理事务 16.19 10.00 6.19",
        "本年收入合计 2,946.25 本年支出合计 2,940.05",
    ]


def test_short_lines_ending_without_punctuation_stay_separate():
    page = "\r\n".join(["目 录", "第一部分 部门概况", "一、主要职能", FULL + "元。", "单位：万元", "项目 决算数"])
    assert layout([page])[0].splitlines()[-2:] == ["单位:万元", "项目 决算数"]


# ------------------------------------------------------------------ pdf (real corpus)

SHANGHAI = "shanghai-putuo"
JIANGSU_2018 = "jiangsu-budgets/江苏省委办公厅/江苏省委办公厅2018年度部门预算公开文件.pdf"


def test_shanghai_finance_bureau(corpus):
    doc = read(corpus / SHANGHAI / "上海市普陀区财政局2024年度部门决算.pdf")
    assert doc.format == "pdf"
    assert doc.pages == 25 and len(doc.page_starts) == 25
    assert list(doc.page_starts) == sorted(doc.page_starts) and doc.page_starts[0] == 0
    assert "2,995.39" in doc.text
    assert "收入支出总计2995.39万元。与2023年度相比,收入支出总计减少56.95万元,下降1.87%。" in doc.text
    # table rows stay one per line
    assert "\n201 06 01 行政运行 1,511.90 1,511.89 0.01\n" in doc.text


def test_shanghai_numbers_are_not_cut_from_their_units(corpus):
    paths = sorted((corpus / SHANGHAI).glob("*.pdf"))
    assert len(paths) == 3  # names with spaces read fine
    for path in paths:
        text = read(path).text
        assert not re.search(r"\d\n万元", text), path.name
    social = read(corpus / SHANGHAI / "中共上海市普陀区委社会工作部 2024 年度部门决算.pdf").text
    assert "收入支出总计307.82万元。" in social


def test_jiangsu_page_number_removed_inside_a_sentence(corpus):
    doc = read(corpus / JIANGSU_2018)
    assert "增长17.31%" in doc.text
    assert "各增加3608.98万元,增长17.31%。主要原因是人员经费政策性调增" in doc.text
    assert doc.pages == len(doc.page_starts) == 13


def test_template_reads(corpus):
    doc = read(corpus / "templates" / "附件2：部门决算模板.pdf")
    assert doc.pages == 23 and "部门决算" in doc.text


def test_all_corpus_pdfs_read(corpus):
    """Every corpus PDF reads, with its pages and their tables. Speed is measured by hand, not asserted on a busy
    machine: benchmarks/bench_tables.py (pages per second, against bare pypdfium2 in the same run)."""
    paths = sorted(corpus.rglob("*.pdf"))
    assert len(paths) >= 20
    docs = [read(p) for p in paths]
    assert all(d.text and d.pages == len(d.page_starts) for d in docs)
    assert sum(1 for d in docs if d.tables) >= 15


def test_jiangsu_narrative_quotes_are_contiguous(corpus):
    """Quotes labelled from the raw PDF text (wrapped with '\\r\\n') appear unbroken in the joined text."""
    import json

    labels = [json.loads(line) for line in (corpus / "jiangsu-budgets" / "narrative-labels.jsonl").open(encoding="utf-8")]
    paths = {p.name: p for p in (corpus / "jiangsu-budgets").rglob("*.pdf")}
    texts: dict[str, str] = {}
    found = 0
    for label in labels:
        name = label["file"]
        if name not in texts:
            texts[name] = read(paths[name]).text
        if normalize(label["quote"]).replace("\n", "").strip() in texts[name]:
            found += 1
    # the few misses are quotes that themselves contain a footer page number ('增长4\r\n17.31%')
    assert found / len(labels) > 0.97


def test_pdf_running_heads_are_dropped_so_sentences_rejoin_across_pages():
    from yearwise.ingest.readers.pdf import layout
    head = "上海市示例局2024年度部门决算"
    pages = [f"{head}\n第一部分 概况\n收入支出总计增长", f"{head}\n17.31%。主要原因是业务增加。\n二、收入",
             f"{head}\n单位:万元\n三、支出情况", f"{head}\n四、其他"]
    text, starts = layout(pages)
    assert head not in text
    assert "增长17.31%" in text and "单位:万元" in text and len(starts) == 4


def test_html_title_supplies_the_department_the_body_leaves_out(files):
    page = ("<html><head><meta charset='utf-8'><title>北京市通州区城镇绿化服务中心2023年度部门决算_北京市通州区人民政府网站"
            "</title></head><body><div class='content'><p>2023年度部门决算</p><p>本年收入合计100万元。</p></div></body></html>")
    from yearwise.ingest import extract
    report = extract(files("page.html", page))
    assert (report.department, report.year) == ("北京市通州区城镇绿化服务中心", 2023)
    assert report.document.text.splitlines()[0] == "北京市通州区城镇绿化服务中心2023年度部门决算"
