"""A Sphinx extension of the book (listed in _config.yml): accessible toggles of hidden code cells.

MyST-NB renders a cell tagged ``hide-input`` as ``<details><summary aria-label="Toggle hidden
content">`` around the visible text "Show code cell source". The aria-label replaces the visible
text as the accessible name, which axe reports as a serious violation (label-content-name-mismatch:
speech users say what they see). This renders the same markup without the aria-label, so the
summary's name is its visible text.
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


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell_input, depart_hide_cell_input))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
