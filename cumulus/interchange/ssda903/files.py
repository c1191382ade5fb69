"""The SSDA903 return as files: which tables there are, and packing a directory into bytes.

A 903 return is a directory of CSV files, one per table. An import packs them into one JSON
document (file name -> text) so the batch has one hash and re-importing the same directory
changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

# Table name -> columns, in DfE's order (SSDA903 2024-25).
TABLES: dict[str, list[str]] = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": [
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ],
    "reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "uasc": ["CHILD", "SEX", "DOB", "DUC"],
    "missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "oc2": [
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ],
    "oc3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "ad1": [
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ],
    "placed_for_adoption": [
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ],
    "previous_permanence": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
}
MAX_FILE_BYTES = 64 * 1024 * 1024


def table_for(file_name: str) -> str | None:
    """``SSDA903_2024_episodes.csv`` or ``d2i_episodes.csv`` -> ``episodes``."""
    stem = file_name.lower().removesuffix(".csv")
    for table in sorted(TABLES, key=len, reverse=True):
        if stem == table or stem.endswith("_" + table):
            return table
    return None


def pack_directory(directory: Path) -> tuple[str, bytes]:
    """The directory's CSV files as one JSON document; files that are not tables are skipped."""
    files: dict[str, str] = {}
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.suffix.lower() == ".csv" and table_for(path.name):
            raw = path.read_bytes()[: MAX_FILE_BYTES + 1]
            files[path.name] = raw.decode("utf-8", errors="surrogateescape")
    data = json.dumps({"files": files}, sort_keys=True, ensure_ascii=False).encode(
        "utf-8", errors="surrogateescape"
    )
    return directory.name or "ssda903", data
