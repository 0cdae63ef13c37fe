"""What WeasyPrint's PDF/UA tagging leaves out, added to the finished PDF.

WeasyPrint (70) tags a table's header cells as /TH and gives the data cells /Headers, but
puts no /Scope on the header cells, so a checker of PDF/UA-1 (and some screen readers)
cannot tell a column header from a row header (PDF/UA-1 7.5, Matterhorn 15-003). The report's
tables put column headers in <thead> and row headers (<th scope="row">) in the body rows, so
a header cell's place says its scope: in a table head it heads a column, in a body row it
heads its row.
"""

from __future__ import annotations

import io

import pikepdf

HEAD = pikepdf.Name("/THead")
TH = pikepdf.Name("/TH")


def _scopes(element, in_head: bool, seen: set) -> None:
    if isinstance(element, pikepdf.Array):
        for child in element:
            _scopes(child, in_head, seen)
        return
    if not isinstance(element, pikepdf.Dictionary):
        return
    if element.is_indirect:
        if element.objgen in seen:
            return
        seen.add(element.objgen)
    kind = element.get("/S")
    if kind == TH:
        attributes = element.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
            element.A = attributes
        attributes.Scope = pikepdf.Name("/Column" if in_head else "/Row")
    children = element.get("/K")
    if children is not None:
        _scopes(children, in_head or kind == HEAD, seen)


def add_header_scopes(pdf: bytes) -> bytes:
    """The PDF with /Scope on every table header cell of its structure tree."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is None:
            return pdf
        _scopes(tree.get("/K"), False, set())
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()
