"""Reports operators read: the discrepancy workbook and HTML page (``reports.discrepancy``).
Plain library: imports nothing from ``bots``."""
