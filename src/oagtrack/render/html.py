"""The progress report, and the milestone table, as one self-contained HTML page.

One file a clerk can e-mail or print: inline CSS only, no scripts, nothing
fetched from elsewhere. It reads on a phone (tables scroll sideways, text
wraps) and on paper (print styles, no backgrounds needed). A state is always
written as a word; colour only repeats it. Every piece of plan text passes
through `h()` (html.escape with quotes), and evidence becomes a link only
when it is an http or https address.
"""

from __future__ import annotations

import html

from ..progress import ActionDetail, RecommendationDetail, Report
from ..query import STATES, Standing
from . import words
from .inert import HTML, renders
from .text import lead_names, one_line, visible

CSS = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #ccc; }
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       max-width: 72rem; margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .25rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.scroll { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.state { display: inline-block; padding: 0 .4rem; border-radius: .25rem; border: 1px solid currentColor; font-weight: 600; white-space: nowrap; }
.state-complete { color: #1a6b2a; background: #e6f4e9; }
.state-complete-late { color: #7a5200; background: #fff3d6; }
.state-overdue { color: #a4161a; background: #fde8e8; }
.state-due-soon { color: #7a5200; background: #fff3d6; }
.state-open { color: #333; background: #f2f2f2; }
.state-retired { color: #555; background: #eeeeee; text-decoration: line-through; }
.milestone { border-left: 4px solid var(--rule); padding: .25rem 0 .25rem .75rem; margin: .75rem 0; }
.milestone dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: .5rem 0 0; }
.milestone dt { font-weight: 600; }
.milestone dd { margin: 0; }
.milestone dd .state { white-space: normal; }
.quote { margin: .25rem 0 .5rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; padding: .5rem; }
  .milestone dl { grid-template-columns: 1fr; }
  .milestone dd { margin-bottom: .3rem; }
}
@media print {
  body { max-width: none; font-size: 10.5pt; padding: 0; }
  .scroll { overflow: visible; }
  h2 { break-after: avoid; }
  .milestone, tr { break-inside: avoid; }
  th { background: none; }
  .state { background: none !important; }
  a { color: inherit; }
}
""".strip()


def h(text: str) -> str:
    """Plan text as HTML: control characters shown escaped, markup escaped, quotes too."""
    return html.escape(visible(text), quote=True)


def state(state_word: str, label: str | None = None) -> str:
    css = "state-" + state_word if state_word in STATES else "state-open"
    return f'<span class="state {css}">{h(label or state_word)}</span>'


def link(text: str) -> str:
    if words.is_web_link(text):
        return f'<a href="{h(text.strip())}" rel="noopener noreferrer">{h(text)}</a>'
    return h(text)


def table(data: words.Table, caption: str = "") -> str:
    if not data.rows:
        return "<p>None.</p>"
    head = "".join(f'<th scope="col"{_num(n, data)}>{h(header)}</th>' for n, header in enumerate(data.headers))
    body = []
    for row in data.rows:
        cells = []
        for n, cell in enumerate(row):
            if n == data.state_column:
                content = state(cell)
            elif data.headers[n] == "Evidence":
                content = " ".join(link(part) for part in cell.split())
            else:
                content = h(cell)
            cells.append(f"<td{_num(n, data)}>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{h(caption)}</caption>" if caption else ""
    return f'<div class="scroll"><table>{cap}<thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(body) + "\n</tbody></table></div>"


def _num(n: int, data: words.Table) -> str:
    return ' class="num"' if n in data.numeric else ""


def page(title: str, body: list[str]) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


@renders(HTML)
def milestones(rows: list[Standing], title: str = "Milestones") -> str:
    """`export --format html`: one row per milestone."""
    return page(title, [f"<h1>{h(title)}</h1>", table(words.milestone_table(rows))])


@renders(HTML)
def report(report: Report) -> str:
    body = [
        "<header>",
        f"<h1>{h(words.title(report))}</h1>",
        f'<p class="meta">{h(report.plan.audit.auditor)}{" · " if report.plan.audit.auditor else ""}{h(words.subtitle(report))}</p>',
        "</header>",
        "<main>",
        '<section id="summary">',
        "<h2>Summary</h2>",
        f"<p>{h(words.headline(report))}</p>",
        table(words.summary_table(report, "Plan")),
        table(words.summary_table(report, "Organization", report.by_org), "By organization"),
        table(words.summary_table(report, "Lead", report.by_lead), "By lead"),
        "</section>",
        '<section id="slippage">',
        "<h2>Slippage</h2>",
        f"<p>{h(words.completion_sentence(report))}</p>",
        f"<p>{h(words.slippage_sentence(report.slippage))}</p>",
        table(words.slippage_table("Recommendation", report.slippage_by_recommendation), "By recommendation"),
        table(words.slippage_table("Lead", report.slippage_by_lead), "By lead"),
        "</section>",
        '<section id="stale">',
        f"<h2>Stale items: open, no activity in {report.stale_after.days} days</h2>",
        table(words.stale_table(report.stale)),
        "</section>",
        '<section id="changes">',
        f"<h2>Changes since {report.since}</h2>",
        table(words.changes_table(report.changes)),
        "</section>",
    ]
    for detail in report.details:
        body.extend(_recommendation(detail))
    body.append("</main>")
    return page(words.title(report), body)


def _recommendation(detail: RecommendationDetail) -> list[str]:
    rec = detail.recommendation
    out = [f'<section id="rec-{h(rec.id)}">', f"<h2>Recommendation {h(rec.id)}</h2>", f'<p class="quote">{h(one_line(rec.text))}</p>']
    if rec.bullets:
        out.append("<ul>" + "".join(f"<li>{h(one_line(b))}</li>" for b in rec.bullets) + "</ul>")
    out.append(f"<p><strong>Response ({'agreed' if rec.response.agreed else 'not agreed'}):</strong> {h(one_line(rec.response.text))}</p>")
    if detail.outcome:
        out.append(_milestone("Expected outcome", detail.outcome))
    for action in detail.actions:
        out.extend(_action(action))
    out.append("</section>")
    return out


def _action(detail: ActionDetail) -> list[str]:
    if detail.standing:
        return [_milestone(f"Action {detail.action.reference}", detail.standing)]
    out = [f"<h3>Action {h(detail.action.reference)}</h3>", f"<p>{h(one_line(detail.action.text))}</p>"]
    return out + [_milestone(f"Step {step.milestone.reference}", step, "h4") for step in detail.steps]


def _milestone(label: str, s: Standing, tag: str = "h3") -> str:
    m = s.milestone
    rows = [("Leads", h(lead_names(s))), ("Due", h(words.due_words(s))), ("State", state(s.state, words.state_words(s)))]
    if s.completed:
        rows.append(("Completed", h(words.day(s.completed))))
    rows += [("Evidence", link(item)) for item in m.evidence]
    if s.latest_note:
        rows.append(("Latest note", h(f"{s.latest_note.on}: {one_line(s.latest_note.text)}")))
    fields = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows if value)
    return (
        f'<article class="milestone" id="m-{h(m.id)}">'
        f"<{tag}>{h(label)} {state(s.state)}</{tag}>"
        f"<p>{h(one_line(m.text))}</p><dl>{fields}</dl></article>"
    )
