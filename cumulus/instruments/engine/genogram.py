"""A genogram drawn from the record (people, relationships, the current household), as SVG.

Pure Python: the Django side turns ``Person``/``Relationship`` rows into the plain records
below, so the drawing can never drift from the record. Standard symbols: square male, circle
female, diamond unknown or unborn; a cross through a deceased person (and "d." with the year
under the name); a double outline for the child in focus; a horizontal line for a partnership:
solid with "m." for a marriage, solid with "c.p." for a civil partnership, dashed for a
cohabiting couple, dotted when the kind is not recorded, crossed by two strokes when it has
ended; a line down from the couple (or the parent) to each child; a dashed line round the
child's current household. Each symbol links to ``href`` (where the relationships are edited).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

# relationship_type: how many generations the *relative* sits below the *person*.
GENERATION_STEP = {
    "parent": 1,
    "step_parent": 1,
    "carer": 1,
    "grandparent": 2,
    "sibling": 0,
    "half_sibling": 0,
    "spouse": 0,
    "civil_partner": 0,
    "cohabiting": 0,
    "partner": 0,
    "other": 0,
}
# Each kind of partnership: (stroke-dasharray or "", short label at the line's middle).
PARTNERSHIP_STYLE = {
    "spouse": ("", "m."),
    "civil_partner": ("", "c.p."),
    "cohabiting": ("8 5", ""),
    "partner": ("2 4", ""),
}
SPACING = 130
ROW = 140
SIZE = 44


@dataclass(frozen=True)
class GenogramPerson:
    id: int
    name: str
    sex: str  # "M", "F" or "U"
    born: int | None = None
    deceased: bool = False
    href: str = ""
    died: int | None = None


@dataclass(frozen=True)
class GenogramLink:
    person: int
    relative: int
    kind: str
    ended: bool = False
    since: int | None = None


@dataclass(frozen=True)
class Placed:
    person: GenogramPerson
    x: float
    y: float


def _generations(focus: int, links: list[GenogramLink]) -> dict[int, int]:
    """Generation of everyone reachable from ``focus`` (0), parents at -1, grandparents -2."""
    gen = {focus: 0}
    changed = True
    while changed:
        changed = False
        for link in links:
            step = GENERATION_STEP.get(link.kind, 0)
            if link.person in gen and link.relative not in gen:
                gen[link.relative] = gen[link.person] + step
                changed = True
            elif link.relative in gen and link.person not in gen:
                gen[link.person] = gen[link.relative] - step
                changed = True
    return gen


def layout(
    focus: int, people: list[GenogramPerson], links: list[GenogramLink]
) -> tuple[list[Placed], float, float]:
    """Place everyone: one row per generation, partners side by side, the focus child first."""
    by_id = {p.id: p for p in people}
    gen = _generations(focus, [link for link in links if link.person in by_id])
    for p in people:
        gen.setdefault(p.id, 0)
    partners = defaultdict(set)
    for link in links:
        if link.kind in PARTNERSHIP_STYLE:
            partners[link.person].add(link.relative)
            partners[link.relative].add(link.person)
    rows: dict[int, list[int]] = defaultdict(list)
    for pid in sorted(gen, key=lambda i: (by_id[i].born or 0, i)):
        if pid not in by_id:
            continue
        row = rows[gen[pid]]
        if pid in row:
            continue
        if pid == focus:
            row.insert(0, pid)
        else:
            row.append(pid)
        for other in sorted(partners[pid]):
            if other in by_id and gen.get(other) == gen[pid] and other not in row:
                row.insert(row.index(pid) + 1, other)
    top = min(rows) if rows else 0
    placed = []
    width = max((len(r) for r in rows.values()), default=1) * SPACING + 60
    for g, row in rows.items():
        offset = (width - len(row) * SPACING) / 2 + SPACING / 2
        for i, pid in enumerate(row):
            placed.append(Placed(by_id[pid], offset + i * SPACING, 60 + (g - top) * ROW))
    height = 60 + (max(rows) - top) * ROW + SIZE + 34 if rows else ROW
    return placed, width, height


def _symbol(p: Placed, focus: bool) -> list[str]:
    x, y, h = p.x, p.y, SIZE / 2
    sex = p.person.sex
    if sex == "M":
        shape = f'<rect x="{x - h:.0f}" y="{y - h:.0f}" width="{SIZE}" height="{SIZE}"'
        inner = (
            f'<rect x="{x - h + 5:.0f}" y="{y - h + 5:.0f}" '
            f'width="{SIZE - 10}" height="{SIZE - 10}"'
        )
    elif sex == "F":
        shape = f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{h:.0f}"'
        inner = f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{h - 5:.0f}"'
    else:
        pts = f"{x:.0f},{y - h:.0f} {x + h:.0f},{y:.0f} {x:.0f},{y + h:.0f} {x - h:.0f},{y:.0f}"
        inner_pts = (
            f"{x:.0f},{y - h + 7:.0f} {x + h - 7:.0f},{y:.0f} {x:.0f},{y + h - 7:.0f} "
            f"{x - h + 7:.0f},{y:.0f}"
        )
        shape = f'<polygon points="{pts}"'
        inner = f'<polygon points="{inner_pts}"'
    out = [f'{shape} fill="#ffffff" stroke="#0b0c0c" stroke-width="2"/>']
    if focus:
        out.append(f'{inner} fill="none" stroke="#0b0c0c" stroke-width="2"/>')
    if p.person.deceased:
        out.append(
            f'<path d="M{x - h:.0f},{y - h:.0f} L{x + h:.0f},{y + h:.0f} '
            f'M{x + h:.0f},{y - h:.0f} L{x - h:.0f},{y + h:.0f}" stroke="#0b0c0c" '
            'stroke-width="2" data-testid="deceased"/>'
        )
    label = escape(p.person.name[:22])
    out.append(
        f'<text x="{x:.0f}" y="{y + h + 16:.0f}" text-anchor="middle" font-size="12" '
        f'fill="#0b0c0c">{label}</text>'
    )
    years = " ".join(
        part
        for part in (
            f"b. {p.person.born}" if p.person.born else "",
            f"d. {p.person.died}" if p.person.died else "",
        )
        if part
    )
    if years:
        out.append(
            f'<text x="{x:.0f}" y="{y + h + 30:.0f}" text-anchor="middle" font-size="11" '
            f'fill="#505a5f">{years}</text>'
        )
    return out


def genogram_svg(
    focus: int,
    people: list[GenogramPerson],
    links: list[GenogramLink],
    household: set[int],
    *,
    title: str = "Genogram",
) -> str:
    """The genogram as one accessible SVG element (a text list sits beside it in the page)."""
    placed, width, height = layout(focus, people, links)
    at = {p.person.id: p for p in placed}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="genogram-title" data-testid="genogram-svg">',
        f'<title id="genogram-title">{escape(title)}</title>',
    ]
    members = [at[i] for i in household if i in at]
    if members:
        x0 = min(p.x for p in members) - SIZE
        x1 = max(p.x for p in members) + SIZE
        y0 = min(p.y for p in members) - SIZE
        y1 = max(p.y for p in members) + SIZE + 20
        out.append(
            f'<rect x="{x0:.0f}" y="{y0:.0f}" width="{x1 - x0:.0f}" height="{y1 - y0:.0f}" '
            'rx="16" fill="none" stroke="#505a5f" stroke-dasharray="6 4" stroke-width="1.5" '
            'data-testid="household-boundary"/>'
        )
    couples: dict[frozenset[int], GenogramLink] = {}
    h = SIZE / 2
    for link in links:
        if link.kind in PARTNERSHIP_STYLE and link.person in at and link.relative in at:
            a, b = sorted((at[link.person], at[link.relative]), key=lambda p: p.x)
            couples[frozenset((link.person, link.relative))] = link
            # A partnership joins the two symbols side to side, at mid-height; its kind shows
            # in the line (solid, dashed, dotted) and a label above it (m. 2015, c.p.).
            dash, label = PARTNERSHIP_STYLE[link.kind]
            pattern = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{a.x + h:.0f}" y1="{a.y:.0f}" x2="{b.x - h:.0f}" y2="{b.y:.0f}" '
                f'stroke="#0b0c0c" stroke-width="2"{pattern} '
                f'data-testid="partnership-{link.kind}"/>'
            )
            mid, my = (a.x + b.x) / 2, (a.y + b.y) / 2
            text = " ".join(t for t in (label, str(link.since) if link.since else "") if t)
            if text:
                out.append(
                    f'<text x="{mid:.0f}" y="{my - 8:.0f}" text-anchor="middle" font-size="11" '
                    f'fill="#0b0c0c">{escape(text)}</text>'
                )
            if link.ended:
                for dx in (-5, 5):
                    out.append(
                        f'<line x1="{mid + dx - 5:.0f}" y1="{my + 9:.0f}" '
                        f'x2="{mid + dx + 5:.0f}" y2="{my - 9:.0f}" '
                        'stroke="#0b0c0c" stroke-width="2" data-testid="separated"/>'
                    )
    parents_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for link in links:
        step = GENERATION_STEP.get(link.kind, 0)
        if step == 1 and link.person in at and link.relative in at:
            parents_of[link.relative].append((link.person, link.kind))
    for child, parents in parents_of.items():
        c = at[child]
        ids = [pid for pid, _ in parents]
        pair = next(
            (
                (a, b)
                for i, a in enumerate(ids)
                for b in ids[i + 1 :]
                if frozenset((a, b)) in couples
            ),
            None,
        )
        # (x, y, dashed): from the middle of the couple's line, or from below a lone parent's
        # name; step-parents and carers are joined with a dashed line.
        sources: list[tuple[float, float, bool]] = []
        if pair:
            a, b = at[pair[0]], at[pair[1]]
            sources.append(((a.x + b.x) / 2, (a.y + b.y) / 2, False))
        for pid, kind in parents:
            if pair and pid in pair:
                continue
            sources.append((at[pid].x, at[pid].y + h + 38, kind != "parent"))
        bus = c.y - h - 14
        for sx, sy, dashed in sources:
            dash = ' stroke-dasharray="5 4"' if dashed else ""
            out.append(
                f'<path d="M{sx:.0f},{sy:.0f} V{bus:.0f} H{c.x:.0f} V{c.y - h:.0f}" '
                f'fill="none" stroke="#0b0c0c" stroke-width="1.5"{dash}/>'
            )
    for p in placed:
        symbol = _symbol(p, p.person.id == focus)
        if p.person.href:
            out.append(f'<a href="{escape(p.person.href)}" aria-label="{escape(p.person.name)}">')
            out.extend(symbol)
            out.append("</a>")
        else:
            out.extend(symbol)
    out.append("</svg>")
    return "\n".join(out)
