"""The partnership board's governance report: training, audits, action plan, learning and
indicators."""
