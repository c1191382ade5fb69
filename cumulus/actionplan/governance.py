"""The action plan's section of the governance report: RAG across the plan at the quarter's
end, each objective's items, the overdue list and the quarter's RAG changes."""

from __future__ import annotations

from cumulus.actionplan.models import ActionItem, ActionItemUpdate, ItemStatus, Rag
from cumulus.core import clock
from cumulus.governance.sections import BarChart, GovernanceSection, ReportPeriod, Table
from cumulus.strategy.selectors import strategy_get


def governance_section(period: ReportPeriod, strategy_slug: str) -> GovernanceSection:
    strategy = strategy_get(slug=strategy_slug)
    end = period.end
    items = list(
        ActionItem.objects.filter(strategy=strategy, created_at__date__lte=end)
        .select_related("aim", "lead_agency")
        .order_by("due_on", "pk")
    )
    complete = [
        i
        for i in items
        if i.status == ItemStatus.COMPLETE and i.completed_on and i.completed_on <= end
    ]
    open_items = [i for i in items if i not in complete]
    by_rag = {rag: sum(1 for i in open_items if i.rag == rag) for rag in Rag.values}
    as_of = min(end, clock.today())  # a quarter still running is judged as of today
    overdue = [i for i in open_items if i.due_on < as_of]
    changes = list(
        ActionItemUpdate.objects.filter(
            item__strategy=strategy, recorded_on__gte=period.start, recorded_on__lte=end
        )
        .exclude(rag_before="")
        .select_related("item")
        .order_by("recorded_on", "pk")
    )
    changes = [u for u in changes if u.rag_changed or u.completed]
    objective_rows = []
    for objective in strategy.action_plan_objectives:
        mine = [i for i in items if i.objective == objective["key"]]
        objective_rows.append(
            [
                objective["title"],
                len(mine),
                sum(1 for i in mine if i in complete),
                *(sum(1 for i in mine if i in open_items and i.rag == r) for r in Rag.values),
                sum(1 for i in mine if i in overdue),
            ]
        )
    return GovernanceSection(
        key="action_plan",
        title="Action plan",
        summary=[
            f"{len(items)} items in the plan at {end:%d %B %Y}: {len(complete)} complete, "
            f"{by_rag['red']} red, {by_rag['amber']} amber, {by_rag['green']} green.",
            f"{len(overdue)} open item{'s' if len(overdue) != 1 else ''} past the due date "
            f"at {as_of:%d %B %Y}.",
            f"{len(changes)} RAG change{'s' if len(changes) != 1 else ''} or completion"
            f"{'s' if len(changes) != 1 else ''} recorded in {period.label}.",
        ],
        tables=[
            Table(
                title="Items by objective",
                headers=["Objective", "Items", "Complete", "Red", "Amber", "Green", "Overdue"],
                rows=objective_rows,
            ),
            Table(
                title="Overdue items",
                headers=["Activity", "Objective", "Aim", "Lead agency", "Lead", "Due", "RAG"],
                rows=[
                    [
                        i.activity,
                        strategy.objective_title(i.objective),
                        i.aim.code,
                        i.lead_agency.name,
                        i.lead_person,
                        i.due_on.isoformat(),
                        i.get_rag_display(),
                    ]
                    for i in overdue
                ],
            ),
            Table(
                title=f"RAG changes in {period.label}",
                headers=["Date", "Activity", "From", "To", "Evidence"],
                rows=[
                    [
                        u.recorded_on.isoformat(),
                        u.item.activity,
                        u.get_rag_before_display(),
                        "Complete" if u.completed else u.get_rag_after_display(),
                        u.evidence,
                    ]
                    for u in changes
                ],
            ),
        ],
        charts=[
            BarChart(
                title="Open items by RAG status",
                categories=["Red", "Amber", "Green", "Complete"],
                values=[by_rag["red"], by_rag["amber"], by_rag["green"], len(complete)],
                unit="items",
            )
        ],
    )
