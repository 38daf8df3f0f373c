"""afbook: the shared code of the activation-functions textbook.

`activations` (beside this package, imported as `import activations as A`) is the single source of
the math and the facts. This package holds everything the chapters build from it:

========================  ====================================================================
module                    what it is for
========================  ====================================================================
``afbook.plotting``       figures of f and f′ as PNG with generated alt text
``afbook.explore``        explorers: live ipywidgets in Jupyter, pre-rendered frames on the site
``afbook.quiz``           quizzes from ``quiz.json`` with keys computed by the library
``afbook.checker``        checkers for the exercises (a reader's function against the library)
``afbook.cards``          fact cards and property tables from the registry
``afbook.pitfalls``       run a naive formula and get its warnings as data
``afbook.mlp``            a small NumPy multilayer perceptron and its optimisers
``afbook.datasets``       seeded toy data sets
========================  ====================================================================
"""

__all__ = ["cards", "checker", "datasets", "explore", "mlp", "pitfalls", "plotting", "quiz"]
