"""Pages a person reads: the static report site (index, departments, review pages) and inline department pages.

`build_site(con, out)` writes the site; `department_page(con, name)` is one department's page for a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass

from yearwise.pages.site import SiteSummary, build_site

__all__ = ["SiteSummary", "build_site", "DepartmentPage", "department_page"]


@dataclass(frozen=True)
class DepartmentPage:
    """One department's page as HTML; shown inline by Jupyter (styles and the font embedded, no files)."""

    department: str
    body: str

    def _repr_html_(self) -> str:
        from yearwise.pages.html import fragment

        return fragment(self.body)

    @property
    def html(self) -> str:
        """A whole standalone HTML document (the font embedded), e.g. to save as one file."""
        from yearwise.pages.html import frame

        return frame(self.department, self.body, inline=True)


def department_page(con, name: str, *, docs_prefix: str = "docs") -> DepartmentPage:
    """The page of department `name` (canonical name) from the warehouse open on `con`.

    Its fact links point to `docs_prefix`/r<report>.html, the review pages of a site built with build_site.
    """
    from yearwise.pages.data import load
    from yearwise.pages.department import department_body

    site = load(con, [name])
    dep = next((d for d in site.departments if d.name == name), None)
    if dep is None:
        raise LookupError(f"no department {name!r} in this warehouse")
    return DepartmentPage(name, department_body(site, dep, docs_prefix=docs_prefix, index_href=None))
