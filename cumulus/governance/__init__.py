"""The partnership board's governance report: training, audits, plans, learning, indicators."""
