"""The synthetic partnership as linkage inputs: the children register and the agency feeds.

Why: the accuracy and speed figures in docs/linkage.md are measured on the generator's feeds,
whose records carry the true person id (``true_person_id``), so every decision can be scored.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc


def register_from_synth(children: pa.Table, households: pa.Table) -> pa.Table:
    """The local authority's children, one row each, with their household's postcode."""
    postcode_by_household = dict(
        zip(
            households.column("household_id").to_pylist(),
            households.column("postcode").to_pylist(),
            strict=True,
        )
    )
    household = children.column("household_id").to_pylist()
    postcodes = pa.array([postcode_by_household.get(h) for h in household], pa.string())
    return pa.table(
        {
            "unique_id": pc.cast(children.column("person_id"), pa.string()),
            "forename": children.column("given_name"),
            "surname": children.column("family_name"),
            "date_of_birth": children.column("date_of_birth"),
            "sex": children.column("sex"),
            "postcode": postcodes,
            "nhs_number": children.column("nhs_number"),
            "upn": children.column("upn"),
        }
    )


def records_from_feeds(feed_records: pa.Table) -> pa.Table:
    """The agency feeds' records under the linkage field names, keeping the hidden truth."""
    return pa.table(
        {
            "unique_id": feed_records.column("source_record_id"),
            "forename": feed_records.column("given_name"),
            "surname": feed_records.column("family_name"),
            "date_of_birth": feed_records.column("date_of_birth"),
            "sex": feed_records.column("sex"),
            "postcode": feed_records.column("postcode"),
            "nhs_number": feed_records.column("nhs_number"),
            "upn": feed_records.column("upn"),
            "true_person_id": pc.cast(feed_records.column("true_person_id"), pa.string()),
        }
    )
