"""The progress report, and the milestone table, as GitHub-flavoured Markdown.

Every piece of plan text goes through `md()`, the one Markdown escaper
(`text.markdown_inert`, shared with the diff's pull-request comment):
newlines collapse so a table row stays one line, `|` is escaped so it cannot
open a column, Markdown punctuation is backslash-escaped so text cannot
become a link, heading or emphasis, `<`, `>`, `&` become entities so no HTML
reaches the page, and GitHub mentions and issue references are broken.
"""

from __future__ import annotations

from ..core.metrics import ActionDetail, RecommendationDetail, Report
from ..core.query import Standing
from . import report_tables
from .inert import MARKDOWN, renders
from .inert import markdown_inert as md


def table(data: report_tables.Table) -> str:
    """A GitHub pipe table; numeric columns aligned right."""
    if not data.rows:
        return "_None._\n"
    align = ["---:" if n in data.numeric else "---" for n in range(len(data.headers))]
    lines = ["| " + " | ".join(md(h) for h in data.headers) + " |", "| " + " | ".join(align) + " |"]
    for row in data.rows:
        lines.append("| " + " | ".join(md(cell, cell=True) or " " for cell in row) + " |")
    return "\n".join(lines) + "\n"


@renders(MARKDOWN)
def milestones(rows: list[Standing], heading: str = "Milestones") -> str:
    """`export --format markdown`: one row per milestone."""
    return f"# {md(heading)}\n\n" + table(report_tables.milestone_table(rows))


@renders(MARKDOWN)
def report(report: Report) -> str:
    out = [
        f"# {md(report_tables.title(report))}",
        "",
        md(report_tables.subtitle(report)),
        "",
        "## Summary",
        "",
        md(report_tables.headline(report)),
        "",
        table(report_tables.summary_table(report, "Plan")),
        "### By recommendation",
        "",
        table(report_tables.recommendation_table(report.recommendations)),
        "### By organization",
        "",
        table(report_tables.summary_table(report, "Organization", report.by_org)),
        "### By lead",
        "",
        table(report_tables.summary_table(report, "Lead", report.by_lead)),
        "## Slippage",
        "",
        md(report_tables.completion_sentence(report)),
        "",
        md(report_tables.slippage_sentence(report.slippage)),
        "",
        table(report_tables.slippage_table("Recommendation", report.slippage_by_recommendation)),
        table(report_tables.slippage_table("Lead", report.slippage_by_lead)),
        f"## Stale items: open, no activity in {report.stale_after.days} days",
        "",
        table(report_tables.stale_table(report.stale)),
        f"## Changes since {report.since}",
        "",
        table(report_tables.changes_table(report.changes)),
    ]
    for detail in report.details:
        out.extend(_recommendation(detail))
    return "\n".join(out).rstrip("\n") + "\n"


def _recommendation(detail: RecommendationDetail) -> list[str]:
    rec = detail.recommendation
    out = [f"## Recommendation {md(rec.id)}", ""]
    if detail.progress:
        out += [f"**Status:** {md(report_tables.recommendation_status(detail.progress))}", ""]
    out += [md(rec.text), ""]
    if rec.bullets:
        out += [f"- {md(bullet)}" for bullet in rec.bullets] + [""]
    out += [f"**Response ({'agreed' if rec.response.agreed else 'not agreed'}):** {md(rec.response.text)}", ""]
    if detail.outcome:
        out += _milestone("Expected outcome", detail.outcome)
    for action in detail.actions:
        out += _action(action)
    return out


def _action(detail: ActionDetail) -> list[str]:
    if detail.standing:
        return _milestone(f"Action {detail.action.reference}", detail.standing)
    out = [f"### Action {md(detail.action.reference)}", "", md(detail.action.text), ""]
    for step in detail.steps:
        out += _milestone(f"Step {step.milestone.reference}", step, level="####")
    return out


def _milestone(label: str, s: Standing, level: str = "###") -> list[str]:
    out = [f"{level} {md(label)}: {md(s.state)}", "", md(s.milestone.text), ""]
    out += [f"- **{field.label}:** {md(field.value)}" for field in report_tables.detail_fields(s)]
    return out + [""]
