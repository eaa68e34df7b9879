"""The progress report, and the milestone table, as GitHub-flavoured Markdown.

Every piece of plan text goes through `md()`, the one Markdown escaper
(`text.markdown_inert`, shared with the diff's pull-request comment):
newlines collapse so a table row stays one line, `|` is escaped so it cannot
open a column, Markdown punctuation is backslash-escaped so text cannot
become a link, heading or emphasis, `<`, `>`, `&` become entities so no HTML
reaches the page, and GitHub mentions and issue references are broken.
The page's own words are in the reader's language (`language._`): a heading
or label of ours alone is written as it is, and a sentence that holds plan
text is escaped whole.
"""

from __future__ import annotations

from ..core.metrics import ActionDetail, RecommendationDetail, Report
from ..core.query import Standing
from . import report_tables
from .inert import MARKDOWN, renders
from .inert import markdown_inert as md
from .language import _, n_
from .phrases import colon, state_word
from .report_tables import with_printed


def table(data: report_tables.Table) -> str:
    """A GitHub pipe table; numeric columns aligned right."""
    if not data.rows:
        return "_" + _("None.") + "_\n"
    align = ["---:" if n in data.numeric else "---" for n in range(len(data.headers))]
    lines = ["| " + " | ".join(md(h) for h in data.headers) + " |", "| " + " | ".join(align) + " |"]
    for row in data.rows:
        lines.append("| " + " | ".join(md(cell, cell=True) or " " for cell in row) + " |")
    return "\n".join(lines) + "\n"


@renders(MARKDOWN)
def milestones(rows: list[Standing], heading: str | None = None) -> str:
    """`export --format markdown`: one row per milestone."""
    return f"# {md(heading or _('Milestones'))}\n\n" + table(report_tables.milestone_table(rows))


@renders(MARKDOWN)
def report(report: Report) -> str:
    stale_days = report.stale_after.days
    out = [
        f"# {md(report_tables.title(report))}",
        "",
        md(report_tables.subtitle(report)),
        "",
        "## " + _("Summary"),
        "",
        md(report_tables.headline(report)),
        "",
        table(report_tables.summary_table(report, _("Plan"))),
        "### " + _("By recommendation"),
        "",
        table(report_tables.recommendation_table(report.recommendations)),
        "### " + _("By organization"),
        "",
        table(report_tables.summary_table(report, _("Organization"), report.by_org)),
        "### " + _("By lead"),
        "",
        table(report_tables.summary_table(report, _("Lead"), report.by_lead)),
        "## " + _("Slippage"),
        "",
        md(report_tables.completion_sentence(report)),
        "",
        md(report_tables.slippage_sentence(report.slippage)),
        "",
        table(report_tables.slippage_table(_("Recommendation"), report.slippage_by_recommendation)),
        table(report_tables.slippage_table(_("Lead"), report.slippage_by_lead)),
        "## "
        + n_(
            "Stale items: open, no activity in {days} days", "Stale items: open, no activity in {days} days", stale_days
        ).format(days=stale_days),
        "",
        table(report_tables.stale_table(report.stale)),
        "## " + _("Changes since {date}").format(date=report.since),
        "",
        table(report_tables.changes_table(report.changes)),
    ]
    for detail in report.details:
        out.extend(_recommendation(detail))
    return "\n".join(out).rstrip("\n") + "\n"


def _recommendation(detail: RecommendationDetail) -> list[str]:
    rec = detail.recommendation
    out = ["## " + _("Recommendation {id}").format(id=md(rec.id)), ""]
    if detail.progress:
        out += [f"**{colon(_('Status'))}** {md(report_tables.recommendation_status(detail.progress))}", ""]
    out += [md(rec.text), ""]
    if rec.bullets:
        out += [f"- {md(bullet)}" for bullet in rec.bullets] + [""]
    response = _("Response (agreed)") if rec.response.agreed else _("Response (not agreed)")
    out += [f"**{colon(response)}** {md(rec.response.text)}", ""]
    if detail.outcome:
        out += _milestone(_("Expected outcome"), detail.outcome)
    for action in detail.actions:
        out += _action(action)
    return out


def _action(detail: ActionDetail) -> list[str]:
    action = detail.action
    if detail.standing:
        return _milestone(_("Action {id}").format(id=with_printed(action.id, action.label)), detail.standing)
    out = ["### " + _("Action {id}").format(id=md(with_printed(action.id, action.label))), "", md(action.text), ""]
    for step in detail.steps:
        m = step.milestone
        out += _milestone(_("Step {id}").format(id=with_printed(m.id, m.label)), step, level="####")
    return out


def _milestone(label: str, s: Standing, level: str = "###") -> list[str]:
    """The heading (`Action 1.1: complete`), the text, and each detail field as a bullet."""
    heading = _("{label}: {state}").format(label=md(label), state=md(state_word(s.state)))
    out = [f"{level} {heading}", "", md(s.milestone.text), ""]
    out += [f"- **{colon(field.label)}** {md(field.value)}" for field in report_tables.detail_fields(s)]
    return out + [""]
