"""A Sphinx extension of the book (listed in _config.yml): accessibility fixes of generated markup.

Hidden code cells.

MyST-NB renders a cell tagged ``hide-input`` as ``<details><summary aria-label="Toggle hidden
content">`` around the visible text "Show code cell source". The aria-label replaces the visible
text as the accessible name, which axe reports as a serious violation (label-content-name-mismatch:
speech users say what they see). This renders the same markup without the aria-label, so the
summary's name is its visible text.

Bibliography entries. docutils writes the bibliography as ``<div role="list"
class="citation-list">`` around ``<div class="citation" role="doc-biblioentry">`` entries; axe does
not accept the DPUB role (deprecated in DPUB-ARIA 1.1) as a list item (aria-required-children,
serious). The entries become ``role="listitem"``, which keeps the list semantics.
"""

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode


def visit_hide_cell_input(self, node):
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hide_cell_input(self, node):
    self.body.append("</details>\n")


def listitem_citations(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell_input, depart_hide_cell_input))
    app.connect("html-page-context", listitem_citations)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
