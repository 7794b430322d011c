"""Bank reconciliation as a plain library (imports nothing from ``bots``).

    from reconcile.statements import read_statement      # camt.053/054, MT940/942, OFX, CSV/Excel
    from reconcile.ledger import load_ledger              # any table -> normalized ledger lines
    from reconcile.engine import reconcile                # ordered passes -> matches, suggestions
    from reconcile.job import run_reconciliation          # files in, matches.csv + report out

Modules: ``lines`` (the normalized line, stable ids, ``StatementError``), ``statements``
(readers), ``ledger``, ``names`` (payer names in Latin and Chinese script, in a column or in
text), ``rules`` (passes, windows, tolerances; YAML), ``decisions`` (the operator's CSV of confirmations, rejections and hand matches), ``engine``, ``generator``
(synthetic statement/ledger pairs with ground truth), ``job``.
"""
