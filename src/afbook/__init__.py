"""afbook: the shared code of the activation-functions textbook.

`activations` (beside this package, imported as ``import activations as A``) is the single source of
the math and the facts. This package holds everything the chapters build from it. Import the module
you need (``from afbook import plotting``); importing the package itself loads nothing.

========================  ====================================================================
module                    what it is for
========================  ====================================================================
``afbook.book``           the notebooks' helpers: ``setup()``, ``glue()`` of formatted text,
                          ``below()`` for rounding-level values, ``best_time``,
                          ``gaussian_moments``, ``key_points`` (the 要点まとめ box)
``afbook.display``        the one display base (``HTMLDisplay``), ``fmt``, ``make_id``
``afbook.args``           argument checks (``integer``, ``positive``): TypeError/ValueError
                          naming the function and the parameter
``afbook.plotting``       figures of f and f′ as PNG with generated alt text
``afbook.explore``        explorers: live ipywidgets in Jupyter, pre-rendered frames on the site
``afbook.quiz``           quizzes from ``quiz.json`` (schema ``quiz.schema.json``), keys computed
``afbook.checker``        checkers of a reader's activation function against the library
``afbook.layers``         E資格-style layers (forward/backward) and ``check_layer``
``afbook.cards``          fact cards and property tables from the registry
``afbook.diagrams``       neuron, network, computational-graph and timeline figures
``afbook.pitfalls``       run a naive formula and get its warnings as data
``afbook.sources``        the source articles' code and printed outputs
``afbook.glossary``       ``glossary.md`` as data (the one source of ja/zh terms)
``afbook.mlp``            a small NumPy multilayer perceptron and its optimisers
``afbook.datasets``       seeded toy data sets
``afbook.experiments``    the experiments' drivers, the initialisation table, stored results
``afbook.claims``         findings stated in the prose, checked on the results
``afbook.stats``          paired differences with intervals, Holm and Benjamini–Hochberg,
                          Bayes-optimal accuracy of the generated tasks
``afbook.meanfield``      signal propagation at initialisation: variance map, q*, χ₁
``afbook.deep``           deep networks on the digits (SELU, alpha-dropout, ReLU, tanh)
``afbook.paths``          where the book's files are (found from the notebook's folder)
``afbook.sphinx_ext``     the book's Sphinx extension (accessible code-cell toggles)
========================  ====================================================================
"""

__all__ = ["args", "book", "cards", "checker", "claims", "datasets", "deep", "diagrams", "display", "experiments",
           "explore", "glossary", "layers", "meanfield", "mlp", "paths", "pitfalls", "plotting", "quiz",
           "sources", "sphinx_ext", "stats"]
