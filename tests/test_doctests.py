"""The examples in the docstrings of the library and the notebook helpers run as written."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["activations", "afbook.book", "afbook.display"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0, result
