"""Ingest: report files in, traceable facts out. Pure: knows no database."""

from yearwise.ingest.model import Document, Fact, IngestError, Report

__all__ = ["Document", "Fact", "IngestError", "Report", "read", "extract", "extract_document"]


def read(path) -> Document:
    """Read one file (TXT, HTML, PDF, DOCX) into a normalised Document."""
    from yearwise.ingest.readers import read as _read

    return _read(path)


def extract(path, *, department: str | None = None, year: int | None = None, doc_kind: str | None = None) -> Report:
    """Read one file and extract its facts; the keyword hints fill what the text lacks."""
    return extract_document(read(path), department=department, year=year, doc_kind=doc_kind)


def extract_document(document: Document, *, department: str | None = None, year: int | None = None,
                     doc_kind: str | None = None) -> Report:
    """Extract facts from an already read Document."""
    from yearwise.ingest.facts import extract_report
    from yearwise.ingest.limits import bound_figures, bound_report

    bound_figures(document)
    return bound_report(extract_report(document, department=department, year=year, doc_kind=doc_kind))
