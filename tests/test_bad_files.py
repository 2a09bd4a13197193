"""Files that cannot be read: each gives one IngestError whose message starts with the path and names the cause."""

from __future__ import annotations

import pytest

from conftest import HTML_PAGE, make_encrypted_pdf, make_imageonly_pdf, make_text_pdf
from yearwise.ingest.model import IngestError
from yearwise.ingest.readers import read


def refused(path) -> str:
    """read(path) must raise IngestError (nothing else); return its cause after checking the message shape."""
    with pytest.raises(IngestError) as info:
        read(path)
    err = info.value
    message = str(err)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert err.source == str(path)
    assert message == f"{path}: {err.cause}"
    return err.cause


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.html", "empty.docx"])
def test_empty_file(files, name):
    assert refused(files(name, b"")) == "empty file"


def test_random_bytes_named_txt(files, random_bytes):
    assert refused(files("noise.txt", random_bytes)) == "not a text file: binary data"


def test_random_bytes_named_pdf(files, random_bytes):
    assert refused(files("noise.pdf", random_bytes)) == "named .pdf but is binary data"


def test_truncated_pdf(files):
    data = make_text_pdf()
    cause = refused(files("cut.pdf", data[: len(data) // 2]))
    assert cause.startswith("PDF cannot be opened: ")


def test_truncated_corpus_pdf(files, corpus):
    data = (corpus / "shanghai-putuo" / "上海市普陀区财政局2024年度部门决算.pdf").read_bytes()
    assert refused(files("cut.pdf", data[: len(data) // 3])).startswith("PDF cannot be opened: ")


def test_password_protected_pdf(files):
    import pypdfium2

    data = make_encrypted_pdf(user_password=b"secret")
    # the fixture is a genuine encrypted PDF: with the password it opens and has its text
    assert pypdfium2.PdfDocument(data, password="secret")[0].get_textpage().get_text_range() == "Total 2995.39"
    assert refused(files("locked.pdf", data)) == "PDF is password-protected"


def test_pdf_without_text_layer(files):
    assert refused(files("scan.pdf", make_imageonly_pdf())) == "PDF has no text layer (scanned images?)"


@pytest.mark.parametrize("name, ext", [("budget.xlsx", ".xlsx"), ("notes.md", ".md"), ("REPORT.DOC", ".doc")])
def test_unsupported_extension(files, name, ext):
    assert refused(files(name, b"whatever")) == f"unsupported file type {ext}; expected .txt, .html, .pdf or .docx"


def test_no_extension(files):
    assert refused(files("README", b"text")).startswith("unsupported file type (no extension)")


def test_html_named_pdf(files):
    assert refused(files("page.pdf", HTML_PAGE.format(charset="utf-8"))) == "named .pdf but is HTML"


@pytest.mark.parametrize("name, data, kind", [
    ("report.txt", make_text_pdf(), "a PDF"),
    ("report.docx", make_text_pdf(), "a PDF"),
    ("report.html", make_text_pdf(), "a PDF"),
    ("report.docx", "一、部门概况\n普通文本。", "plain text"),
    ("report.txt", HTML_PAGE.format(charset="utf-8"), "HTML"),
])
def test_content_that_is_not_what_the_extension_says(files, name, data, kind):
    ext = name[name.rindex("."):]
    assert refused(files(name, data)) == f"named {ext} but is {kind}"


def test_zip_that_is_not_a_docx(files, tmp_path):
    import zipfile

    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert refused(path) == "named .docx but is a ZIP archive (not DOCX)"


def test_broken_docx(files, tmp_path):
    from conftest import make_docx

    data = make_docx(tmp_path / "ok.docx").read_bytes()
    assert refused(files("broken.docx", data[: len(data) // 2])).startswith("DOCX cannot be opened: ")


def test_missing_file(tmp_path):
    assert refused(tmp_path / "gone.txt").startswith("cannot read file: ")


def test_whitespace_only_text(files):
    assert refused(files("blank.txt", "  \r\n\t\n")) == "no text in file (only whitespace)"


@pytest.mark.parametrize("ext", [".jsp", ".shtml", ".aspx", ".php", ".asp", ".htm"])
def test_a_page_saved_under_a_server_script_name_is_read_as_html(files, ext):
    from yearwise.ingest import extract

    page = HTML_PAGE.format(charset="utf-8")
    doc = read(files("t20240819" + ext, page))
    assert doc.format == "html"
    assert doc.text == read(files("same.html", page)).text
    assert extract(files("again" + ext, page)).facts  # and its figures are read


def test_a_pdf_served_by_a_script_is_read_as_pdf(files):
    assert read(files("download.php", make_text_pdf())).format == "pdf"


def test_a_script_name_with_binary_bytes_is_refused_by_what_it_is(files, random_bytes):
    assert refused(files("page.aspx", random_bytes)) == "not a text file: binary data"


@pytest.mark.parametrize("name", ["index.jsonl", "data.json", "table.csv", "NOTES.md", "tool.py"])
def test_a_folder_skips_files_that_are_plainly_not_reports(tmp_path, name):
    from yearwise.api import expand_paths

    (tmp_path / name).write_text("2024年度部门决算 收入100万元", encoding="utf-8")
    (tmp_path / "page.jsp").write_text(HTML_PAGE.format(charset="utf-8"), encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["page.jsp"]
    cause = refused(tmp_path / name)  # named on its own: refused in one line
    assert cause.startswith(f"unsupported file type {name[name.rfind('.'):].lower()};")
