"""Who lives where: neighbourhoods with deprivation, households with risk factors, adults and
children with names and identifiers, and the agencies that serve them.

Poverty is concentrated by neighbourhood the way it really is (income-deprived share by IMD
decile); household risk factors co-occur through correlated latent variables (a Gaussian
copula), and each is likelier in an income-deprived household by a stated odds ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pyarrow as pa
from faker.providers.person.en_GB import Provider as PersonProvider

from cumulus.core.identifiers import SYNTHETIC_UPN_LA_CODE
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import (
    BoolArray,
    IntArray,
    as_table,
    choice_by_weights,
    dates,
    day_number,
)

RISKS = (
    "domestic_abuse",
    "parental_mental_health",
    "substance_misuse",
    "parental_learning_disability",
    "parental_care_experience",
)
TRIO = {"domestic_abuse", "parental_mental_health", "substance_misuse"}
UPN_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRTUVWXYZ"))
POSTCODE_INWARD = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))


@dataclass
class Population:
    """Arrays the later stages need, beside the finished tables."""

    tables: dict[str, pa.Table]
    child_id: IntArray
    child_household: IntArray
    child_dob: IntArray  # day numbers
    child_sex: np.ndarray[Any, np.dtype[np.str_]]
    household_lsoa: IntArray
    household_poverty: BoolArray
    household_risks: dict[str, BoolArray]
    household_large: BoolArray
    household_relapse_prone: BoolArray
    household_proneness_effect: np.ndarray[Any, np.dtype[np.float64]]
    lsoa_primary: IntArray  # index into the school agency keys
    lsoa_secondary: IntArray
    lsoa_gp: IntArray
    lsoa_early_years: IntArray
    agency_keys: dict[str, list[str]]


def _nhs_numbers(rng: np.random.Generator, count: int) -> np.ndarray[Any, np.dtype[np.str_]]:
    """Unique NHS numbers from the 999 test range with valid modulus-11 check digits."""
    if count > 900_000:
        raise ValueError(
            f"The NHS test range (999 000 0000 - 999 999 9999) holds about 909,000 valid "
            f"numbers; {count:,} children need more. Generate several partnerships instead."
        )
    need = count
    chosen = np.empty(0, dtype=np.int64)
    while need > 0:
        bodies = rng.choice(1_000_000, size=min(1_000_000, int(need * 1.25) + 16), replace=False)
        chosen = np.unique(np.concatenate([chosen, bodies]))
        need = count - chosen.size
    chosen = rng.permutation(chosen)
    result: list[np.ndarray[Any, np.dtype[np.str_]]] = []
    # Body = 999 + 6 digits; check digit over the nine digits.
    nine = 999_000_000 + chosen
    digits = (nine[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    total = (digits * np.arange(10, 1, -1)).sum(axis=1)
    check = 11 - total % 11
    check = np.where(check == 11, 0, check)
    valid = check != 10
    numbers = (nine[valid] * 10 + check[valid]).astype(str)
    result.append(numbers)
    out = np.concatenate(result)
    if out.size < count:  # extremely unlikely: top up from another draw
        return np.concatenate([out, _nhs_numbers(rng, count - out.size)])[:count]
    return out[:count]


def _upns(
    rng: np.random.Generator, count: int, la_code: str = SYNTHETIC_UPN_LA_CODE
) -> np.ndarray[Any, np.dtype[np.str_]]:
    """UPNs with a valid check letter: check letter, LA code, nine digits (all synthetic)."""
    # Distinct nine-digit serials, so no two children share a UPN.
    serials = rng.choice(10**9, size=count, replace=False)
    body_digits = (serials[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    la = np.array([int(c) for c in la_code])
    chars = np.concatenate([np.broadcast_to(la, (count, 3)), body_digits], axis=1)
    total = (chars * np.arange(2, 14)).sum(axis=1)
    letters = UPN_ALPHABET[total % 23]
    bodies = (
        np.array(["".join(map(str, row)) for row in chars])
        if count < 1000
        else (
            np.char.add(
                la_code,
                np.char.zfill(
                    (body_digits * 10 ** np.arange(8, -1, -1)).sum(axis=1).astype(str), 9
                ),
            )
        )
    )
    return np.char.add(letters, bodies)


def _vocabularies() -> tuple[np.ndarray[Any, Any], ...]:
    male = np.array(PersonProvider.first_names_male)
    female = np.array(PersonProvider.first_names_female)
    last = np.array(list(PersonProvider.last_names.keys()))
    last_w = np.array(list(PersonProvider.last_names.values()), dtype=np.float64)
    suffixes = np.array(["Road", "Street", "Close", "Avenue", "Lane", "Grove", "Way", "Drive"])
    return male, female, last, last_w / last_w.sum(), suffixes


def build_population(config: SynthConfig) -> Population:
    params = config.parameters
    pop_p = params["population"]
    rng = config.rng("population")
    male_names, female_names, surnames, surname_w, suffixes = _vocabularies()
    start, end = day_number(config.start_date), day_number(config.end_date)

    # Children alive and 0-17 at some time in the period, plus those expected soon after it.
    span_years = 18 + config.years + pop_p["unborn_months"] / 12
    total_children = round(config.children * span_years / 18)
    earliest_dob = day_number(config.end_date.replace(year=config.end_date.year - 18)) - (
        end - start
    )
    latest_dob = end + int(pop_p["unborn_months"] * 30.4)

    # Households: sizes drawn until the children are placed.
    sizes_p = pop_p["children_per_household"]
    sizes = np.array([int(k) for k in sizes_p])
    weights = np.array(list(sizes_p.values()), dtype=np.float64)
    mean = float((sizes * weights).sum() / weights.sum())
    draws = rng.choice(sizes, size=int(total_children / mean * 1.2) + 10, p=weights / weights.sum())
    cum = np.cumsum(draws)
    n_households = int(np.searchsorted(cum, total_children) + 1)
    draws = draws[:n_households]
    draws[-1] -= int(cum[n_households - 1] - total_children)
    child_household = np.repeat(np.arange(n_households), draws)
    n_children = child_household.size

    # Neighbourhoods and poverty.
    dep = params["deprivation"]
    n_lsoa = max(5, round(config.children / pop_p["children_per_neighbourhood"]))
    decile_w = np.array(dep["decile_weights"], dtype=np.float64)
    # Deciles in proportion to the weights (not drawn independently), so a small partnership
    # has the same deprivation mix as a large one.
    per_decile = np.floor(decile_w / decile_w.sum() * n_lsoa).astype(np.int64)
    per_decile[np.argsort(-decile_w)[: n_lsoa - per_decile.sum()]] += 1
    lsoa_decile = rng.permutation(np.repeat(np.arange(1, 11), per_decile))
    share_by_decile = np.array(dep["income_deprived_share"])
    lsoa_share = share_by_decile[lsoa_decile - 1] * rng.uniform(0.85, 1.15, size=n_lsoa)
    household_lsoa = rng.integers(0, n_lsoa, size=n_households)
    p_poor = np.clip(lsoa_share[household_lsoa] * dep["child_poverty_factor"], 0, 0.9)
    poverty = rng.random(n_households) < p_poor

    # Risk factors: Gaussian copula with trio correlation, thresholds shifted by poverty.
    rf = params["risk_factors"]
    k = len(RISKS)
    corr = np.full((k, k), rf["correlation_other"])
    for i, a in enumerate(RISKS):
        for j, b in enumerate(RISKS):
            if a in TRIO and b in TRIO:
                corr[i, j] = rf["correlation_trio"]
    np.fill_diagonal(corr, 1.0)
    latent = rng.multivariate_normal(np.zeros(k), corr, size=n_households, method="cholesky")
    risks: dict[str, BoolArray] = {}
    normal = NormalDist()
    for i, name in enumerate(RISKS):
        base = rf["prevalence"][name]
        odds = base / (1 - base)
        # Choose non-poor and poor prevalences so the odds ratio holds and the mean is `base`.
        ratio = rf["poverty_odds_ratio"][name]
        p_poor_share = float(poverty.mean()) or 0.0
        lo, hi = 1e-4, 0.99
        for _ in range(40):  # bisection for the non-poor odds
            mid = (lo + hi) / 2
            p_np = mid / (1 + mid)
            p_p = (mid * ratio) / (1 + mid * ratio)
            if p_np * (1 - p_poor_share) + p_p * p_poor_share > base:
                hi = mid
            else:
                lo = mid
        del odds
        p_np = lo / (1 + lo)
        p_p = lo * ratio / (1 + lo * ratio)
        threshold = np.where(poverty, normal.inv_cdf(1 - p_p), normal.inv_cdf(1 - p_np))
        risks[name] = latent[:, i] > threshold
    large = draws >= 4

    nw = params["neglect"]["proneness_weights"]
    effect = (
        params["neglect"]["proneness_intercept"]
        + sum(nw[name] * risks[name] for name in RISKS)
        + nw["poverty"] * poverty
        + nw["large_family"] * large
        + params["neglect"]["area_deprivation_weight"]
        * (10 - lsoa_decile[household_lsoa])
        / 9  # 1 in the most deprived decile, 0 in the least
        + rng.normal(0, params["neglect"]["proneness_family_sd"], size=n_households)
    )
    relapse_prone = rng.random(n_households) < rf["relapse_prone_share"]

    # Children.
    child_dob = rng.integers(earliest_dob, latest_dob + 1, size=n_children)
    child_sex = np.where(rng.random(n_children) < pop_p["male_share"], "M", "F")
    family_name_of_household = rng.choice(surnames, size=n_households, p=surname_w)
    child_family = family_name_of_household[child_household]
    given = np.where(
        child_sex == "M",
        rng.choice(male_names, size=n_children),
        rng.choice(female_names, size=n_children),
    )
    name_changed = rng.random(n_children) < pop_p["name_change_share"]
    former = np.where(name_changed, child_family, np.array(None, dtype=object))
    child_family = np.where(
        name_changed, rng.choice(surnames, size=n_children, p=surname_w), child_family
    )
    child_id = np.arange(1, n_children + 1, dtype=np.int64)
    nhs = _nhs_numbers(rng, n_children).astype(object)
    nhs[child_dob > end] = None
    school_age_by_end = (end - child_dob) >= int(4.5 * 365.25)
    upn = _upns(rng, n_children).astype(object)
    upn[~school_age_by_end] = None
    ethnicity = choice_by_weights(rng, pop_p["ethnicity"], n_children)
    disabled = rng.random(n_children) < pop_p["disability_share"]
    disability = np.where(
        disabled,
        rng.choice(np.array(["MOB", "LD", "COMM", "AUT", "BEH", "HEAR", "VIS", "DDA"]), n_children),
        "NONE",
    )
    send = disabled | (rng.random(n_children) < pop_p["send_share"])
    parent_needs = risks["parental_mental_health"] | risks["parental_learning_disability"]
    old_enough = (end - child_dob) >= 8 * 365
    young_carer = (
        parent_needs[child_household]
        & old_enough
        & (rng.random(n_children) < pop_p["young_carer_share_if_parent_needs"])
    )
    proneness = effect[child_household] + rng.normal(0, 0.3, size=n_children)

    # Adults: one or two parents per household.
    two = rng.random(n_households) >= pop_p["single_parent_share"]
    adult_household = np.concatenate([np.arange(n_households), np.flatnonzero(two)])
    adult_household.sort(kind="stable")
    n_adults = adult_household.size
    first_of_household = np.ones(n_adults, dtype=bool)
    first_of_household[1:] = adult_household[1:] != adult_household[:-1]
    adult_sex = np.where(first_of_household, "F", "M")
    # Fathers are sometimes the lone parent.
    adult_sex = np.where(
        first_of_household & ~two[adult_household] & (rng.random(n_adults) < 0.1), "M", adult_sex
    )
    adult_given = np.where(
        adult_sex == "M", rng.choice(male_names, n_adults), rng.choice(female_names, n_adults)
    )
    adult_family = np.where(
        first_of_household | (rng.random(n_adults) < 0.7),
        family_name_of_household[adult_household],
        rng.choice(surnames, size=n_adults, p=surname_w),
    )
    eldest_child = np.full(n_households, latest_dob)
    np.minimum.at(eldest_child, child_household, child_dob)
    adult_dob = eldest_child[adult_household] - rng.integers(17 * 365, 40 * 365, size=n_adults)
    adult_id = np.arange(n_children + 1, n_children + n_adults + 1, dtype=np.int64)
    adult_relationship = np.where(
        first_of_household | (rng.random(n_adults) < 0.8), "parent", "step_parent"
    )

    # Addresses: postcode sector per neighbourhood, street per household.
    lsoa_sector = np.char.add(
        np.char.add("EM", (np.arange(n_lsoa) // 40 + 1).astype(str)),
        np.char.add(" ", (np.arange(n_lsoa) % 10).astype(str)),
    )
    street_names = np.char.add(
        np.char.add(rng.choice(surnames, size=n_lsoa * 3), " "),
        rng.choice(suffixes, size=n_lsoa * 3),
    )

    def addresses(lsoa: IntArray) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        n = lsoa.size
        postcode = np.char.add(
            lsoa_sector[lsoa],
            np.char.add(rng.choice(POSTCODE_INWARD, n), rng.choice(POSTCODE_INWARD, n)),
        )
        street = street_names[lsoa * 3 + rng.integers(0, 3, size=n)]
        line = np.char.add(np.char.add(rng.integers(1, 200, size=n).astype(str), " "), street)
        return line, postcode

    line, postcode = addresses(household_lsoa)
    moved = rng.random(n_households) < pop_p["moved_share"]
    moved_on = rng.integers(start, end, size=n_households)
    prev_lsoa = np.where(
        rng.random(n_households) < 0.6, household_lsoa, rng.integers(0, n_lsoa, n_households)
    )
    prev_line, prev_postcode = addresses(prev_lsoa)

    # Agencies: fixed services plus schools, GP practices and early years settings by size.
    ag = params["agencies"]
    n_primary = max(1, round(config.children * 7 / 18 / ag["children_per_primary_school"]))
    n_secondary = max(1, round(config.children * 5 / 18 / ag["children_per_secondary_school"]))
    n_gp = max(1, round(config.children / ag["children_per_gp_practice"]))
    n_ey = max(1, round(config.children * 3 / 18 / ag["under_fives_per_early_years_setting"]))
    fixed = [
        ("csc", "Eastmoor Children's Social Care", "childrens_social_care"),
        ("early_help", "Eastmoor Early Help Service", "early_help"),
        ("health_visiting", "Eastmoor Health Visiting Service", "health_visiting"),
        ("school_nursing", "Eastmoor School Nursing", "school_nursing"),
        ("midwifery", "Eastmoor Maternity Service", "midwifery"),
        ("hospital", "Eastmoor General Hospital", "hospital"),
        ("camhs", "Eastmoor CAMHS", "camhs"),
        ("police", "Eastmoor Police", "police"),
        ("probation", "Eastmoor Probation Delivery Unit", "probation"),
        ("housing", "Eastmoor Housing", "housing"),
        ("adult_mental_health", "Eastmoor Adult Mental Health", "adult_mental_health"),
        ("substance_misuse", "Eastmoor Recovery Service", "substance_misuse"),
        ("voluntary", "Family Action Eastmoor", "voluntary_sector"),
    ]
    place = rng.choice(surnames, size=n_primary + n_secondary + n_gp + n_ey)
    agencies = list(fixed)
    keys: dict[str, list[str]] = {"primary": [], "secondary": [], "gp": [], "early_years": []}
    for i in range(n_primary):
        key = f"school_p{i + 1:03d}"
        keys["primary"].append(key)
        agencies.append((key, f"{place[i]} Primary School", "school"))
    for i in range(n_secondary):
        key = f"school_s{i + 1:03d}"
        keys["secondary"].append(key)
        agencies.append((key, f"{place[n_primary + i]} Academy", "school"))
    for i in range(n_gp):
        key = f"gp_{i + 1:03d}"
        keys["gp"].append(key)
        agencies.append((key, f"{place[n_primary + n_secondary + i]} Medical Practice", "gp"))
    for i in range(n_ey):
        key = f"early_years_{i + 1:03d}"
        keys["early_years"].append(key)
        agencies.append(
            (key, f"{place[n_primary + n_secondary + n_gp + i]} Nursery", "early_years")
        )
    # Make names unique (two schools may share a place name).
    seen: dict[str, int] = {}
    unique_agencies = []
    for key, name, kind in agencies:
        seen[name] = seen.get(name, 0) + 1
        unique_agencies.append((key, name if seen[name] == 1 else f"{name} ({seen[name]})", kind))

    tables = {
        "agencies": as_table(
            {
                "agency_key": [a[0] for a in unique_agencies],
                "name": [a[1] for a in unique_agencies],
                "agency_type": [a[2] for a in unique_agencies],
            },
            SCHEMAS["agencies"],
        ),
        "neighbourhoods": as_table(
            {
                "lsoa_id": np.arange(n_lsoa, dtype=np.int32),
                "lsoa_code": np.char.add("E0199", np.char.zfill(np.arange(n_lsoa).astype(str), 4)),
                "locality": np.char.add("Eastmoor ", (np.arange(n_lsoa) % 6 + 1).astype(str)),
                "imd_decile": lsoa_decile.astype(np.int8),
                "income_deprived_share": np.minimum(lsoa_share, 0.95).astype(np.float32),
            },
            SCHEMAS["neighbourhoods"],
        ),
        "households": as_table(
            {
                "household_id": np.arange(n_households, dtype=np.int32),
                "lsoa_id": household_lsoa.astype(np.int32),
                "address_line_1": line,
                "postcode": postcode,
                "moved_on": dates(moved_on, mask=~moved),
                "previous_address_line_1": pa.array(prev_line, mask=~moved),
                "previous_postcode": pa.array(prev_postcode, mask=~moved),
                "in_poverty": poverty,
                **{name: risks[name] for name in RISKS},
                "large_family": large,
                "relapse_prone": relapse_prone,
            },
            SCHEMAS["households"],
        ),
        "adults": as_table(
            {
                "person_id": adult_id,
                "household_id": adult_household.astype(np.int32),
                "given_name": adult_given,
                "family_name": adult_family,
                "sex": adult_sex,
                "date_of_birth": dates(adult_dob),
                "relationship_type": adult_relationship,
            },
            SCHEMAS["adults"],
        ),
        "children": as_table(
            {
                "person_id": child_id,
                "household_id": child_household.astype(np.int32),
                "la_child_id": np.char.add("EM", np.char.zfill(child_id.astype(str), 8)),
                "given_name": given,
                "family_name": child_family,
                "former_family_name": pa.array(former, type=pa.string()),
                "sex": child_sex,
                "date_of_birth": dates(child_dob),
                "nhs_number": pa.array(nhs, type=pa.string()),
                "upn": pa.array(upn, type=pa.string()),
                "ethnicity": ethnicity,
                "disability": disability,
                "has_send": send,
                "young_carer": young_carer,
                "neglect_proneness": proneness.astype(np.float32),
            },
            SCHEMAS["children"],
        ),
    }
    tables["relationships"] = _relationships(
        child_id, child_household, adult_id, adult_household, adult_relationship
    )
    return Population(
        tables=tables,
        child_id=child_id,
        child_household=child_household,
        child_dob=child_dob,
        child_sex=child_sex,
        household_lsoa=household_lsoa,
        household_poverty=poverty,
        household_risks=risks,
        household_large=large,
        household_relapse_prone=relapse_prone,
        household_proneness_effect=effect,
        lsoa_primary=rng.integers(0, n_primary, size=n_lsoa),
        lsoa_secondary=rng.integers(0, n_secondary, size=n_lsoa),
        lsoa_gp=rng.integers(0, n_gp, size=n_lsoa),
        lsoa_early_years=rng.integers(0, n_ey, size=n_lsoa),
        agency_keys=keys,
    )


def _relationships(
    child_id: IntArray,
    child_household: IntArray,
    adult_id: IntArray,
    adult_household: IntArray,
    adult_relationship: np.ndarray[Any, Any],
) -> pa.Table:
    """Parent -> child for every adult and child of a household; sibling pairs (older first)."""
    # Parent links: join adults to children on household (both sorted by household).
    order = np.argsort(child_household, kind="stable")
    ch_sorted = child_household[order]
    first = np.searchsorted(ch_sorted, adult_household, side="left")
    last = np.searchsorted(ch_sorted, adult_household, side="right")
    counts = last - first
    parent_rows = np.repeat(np.arange(adult_id.size), counts)
    offsets = np.arange(parent_rows.size) - np.repeat(np.cumsum(counts) - counts, counts)
    child_rows = order[np.repeat(first, counts) + offsets]
    parent_person = adult_id[parent_rows]
    parent_child = child_id[child_rows]
    parent_type = adult_relationship[parent_rows]
    # Sibling links: every pair within a household.
    hh_start = np.searchsorted(ch_sorted, np.unique(ch_sorted), side="left")
    hh_end = np.searchsorted(ch_sorted, np.unique(ch_sorted), side="right")
    sizes = hh_end - hh_start
    a_list, b_list = [], []
    for size in range(2, int(sizes.max(initial=1)) + 1):
        starts = hh_start[sizes == size]
        if starts.size == 0:
            continue
        i, j = np.triu_indices(size, k=1)
        a_list.append(order[(starts[:, None] + i[None, :]).ravel()])
        b_list.append(order[(starts[:, None] + j[None, :]).ravel()])
    sib_a = child_id[np.concatenate(a_list)] if a_list else np.empty(0, dtype=np.int64)
    sib_b = child_id[np.concatenate(b_list)] if b_list else np.empty(0, dtype=np.int64)
    return as_table(
        {
            "person_id": np.concatenate([parent_person, sib_a]),
            "relative_id": np.concatenate([parent_child, sib_b]),
            "relationship_type": np.concatenate([parent_type, np.full(sib_a.size, "sibling")]),
            "has_parental_responsibility": np.concatenate(
                [parent_type == "parent", np.zeros(sib_a.size, dtype=bool)]
            ),
        },
        SCHEMAS["relationships"],
    )
