"""The progress report, and the milestone table, as one self-contained HTML page.

One file a clerk can e-mail or print: inline CSS only, no scripts, nothing
fetched from elsewhere. Chromium is its judge (tests/test_browser.py): at
1280 px, at 400 px (a phone) and printed on Letter and A4, no word, number,
date or id of 30 characters or fewer is split over two lines, nothing makes
the page scroll sideways (a wide table scrolls inside its own box on a
phone), printed tables repeat their headers and never cut a row, every page
carries the title, the date and its number, and axe-core finds nothing
against WCAG 2.1 AA. A state is always written as a word; colour only
repeats it.

How words stay whole: a browser breaks a line after a hyphen, a slash or a
dash, and between ideographs, so `t()` wraps every token of 30 characters or
fewer that holds such a character in a `nowrap` span (`2021-01-30`,
`not-started`, `3.4b.a`). A longer one (a link) breaks where it would
overflow, and in a table cell it sits in a span that may break anywhere, so
it does not widen its column. Plain words need nothing: the page never sets
`overflow-wrap: anywhere` on them, which would let a table squeeze a column
to one letter. Every piece of plan text passes `t()`
(content) or `h()` (attribute values), both html.escape with quotes, and
evidence becomes a link only when it is an http or https address.

The page's own words are in the reader's language (`language._`), and
`lang` says which; they pass `t()` as well, so a French word with a hyphen
stays whole as an English one does.
"""

from __future__ import annotations

import html
import re

from ..core.metrics import ActionDetail, RecommendationDetail, Report
from ..core.plan_terms import one_line
from ..core.query import STATES, Standing
from . import language, report_tables
from .inert import HTML, renders, visible
from .language import _, n_
from .phrases import colon, countdown, lead_names, state_word
from .report_tables import with_printed

#: Tokens this long or shorter are never split over two lines; longer ones (links, mostly) may break anywhere.
KEEP_WHOLE = 30

#: Paper margins of the printed page (the browser tests lay the page out at the paper's width less these).
PAGE_MARGIN_MM = (16, 14)  # top and bottom, left and right

CSS = """
:root { --ink: #1b1b1b; --muted: #545454; --rule: #c8c8c8; --head: #f2f2f2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; \
color: var(--ink); background: #fff;
       max-width: 72rem; margin: 0 auto; padding: 1rem; overflow-wrap: break-word; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .25rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.nw { white-space: nowrap; }
.long { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; \
clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
tbody th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text::before { content: ""; display: block; width: 13em; } /* a text column stays readable in a table that scrolls */
ul.evidence { list-style: none; margin: 0; padding: 0; }
.sub { color: var(--muted); font-size: .9em; font-weight: normal; }
.state { display: inline-block; padding: 0 .4rem; border-radius: .25rem; border: 1px solid currentColor; \
font-weight: 600; white-space: nowrap; }
.state-complete { color: #1a6b2a; background: #e6f4e9; }
.state-complete-late { color: #6b4700; background: #fff3d6; }
.state-overdue { color: #a4161a; background: #fde8e8; }
.state-due-soon { color: #6b4700; background: #fff3d6; }
.state-open { color: #333; background: #f2f2f2; }
.state-retired { color: #4d4d4d; background: #eeeeee; border-style: dashed; }
.milestone { border-left: 4px solid var(--rule); padding: .25rem 0 .25rem .75rem; margin: .75rem 0; }
.milestone dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .1rem .75rem; \
margin: .5rem 0 0; }
.milestone dt { font-weight: 600; }
.milestone dd { margin: 0; min-width: 0; }
.quote { margin: .25rem 0 .5rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; padding: .5rem; }
  h1 { font-size: 1.35rem; }
  .milestone dl { grid-template-columns: minmax(0, 1fr); }
  .milestone dd { margin-bottom: .3rem; }
}
@media print {
  body { max-width: none; font-size: 10pt; padding: 0; margin: 0; }
  h2 { margin-top: 1.2rem; }
  h2, h3, h4, caption { break-after: avoid; }
  .scroll { overflow: visible; margin: .3rem 0 .6rem; }
  table { font-size: 8.5pt; }
  th, td { padding: .15rem .3rem; }
  thead { display: table-header-group; }
  tr, .milestone dl > *, li { break-inside: avoid; }
  .milestone dt { break-after: avoid; }
  thead th { background: none; border-bottom: 1.5px solid var(--ink); }
  .state { background: none !important; }
  a { color: inherit; }
}
""".strip()

_PAGE_BOX = 'font: 8pt system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #333;'

#: JavaScript's `\\s`: what the browser tests split tokens at, so both count the same tokens.
_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_LETTERS = "A-Za-z0-9\xc0-\xd6\xd8-\xf6\xf8-\u024f"
#: Characters a browser never breaks between (Unicode's line breaking rules, UAX #14): letters, digits, and the
#: punctuation that binds to them. A token of these alone needs nothing; any other token is looked at (`_careful`).
_PLAIN = _LETTERS + ".,:;'\u2019&#@=*_<>\""
_CAREFUL = re.compile(
    # a long token
    f"(?<![^{_SPACE}])(?:[^{_SPACE}]{{{KEEP_WHOLE + 1},}}"
    # a short one with another character
    f"|(?=[^{_SPACE}]{{1,{KEEP_WHOLE}}}(?![^{_SPACE}]))[^{_SPACE}]*?[^{_SPACE}{_PLAIN}][^{_SPACE}]*)"
)
#: A short token the browser still never breaks: optional opening punctuation, a letter or digit, letters, digits,
#: binding punctuation and brackets, optional closing punctuation; not an opening bracket after punctuation, nor
#: a closing one before a sign (`a,(b`, `a)$`). Any other (a hyphen, a slash, a dash, an ideograph) is kept whole
#: with `nowrap`.
_UNBREAKABLE = re.compile(f"[(\\[\"'\u2018\u201c]*[{_LETTERS}][{_PLAIN}()\\[\\]]*[)\\]\"'\u2019\u201d.,:;!?%]*")
_BREAK_AROUND_BRACKET = re.compile(f"[^{_LETTERS}(\\[][(\\[]|[)\\]][$%+]")


def h(text: str) -> str:
    """Plan text for an attribute value or the title: control characters shown escaped, markup escaped, quotes too."""
    return html.escape(visible(text), quote=True)


def t(text: str, *, cell: bool = False) -> str:
    """Plan text as page content: escaped as `h()`, every token of 30 characters or fewer kept on one line.

    In a table cell (`cell`) a longer token may break anywhere, so that it does
    not widen its column; elsewhere `overflow-wrap: break-word` breaks it
    only where it would overflow. Linear in the text: one scan finds the
    tokens that need a look, and the rest is escaped in bulk.
    """
    text = visible(text)
    out = []
    last = 0
    for match in _CAREFUL.finditer(text):
        out.append(html.escape(text[last : match.start()], quote=True))
        out.append(_careful(match.group(), cell))
        last = match.end()
    out.append(html.escape(text[last:], quote=True))
    return "".join(out)


def _careful(token: str, cell: bool) -> str:
    escaped = html.escape(token, quote=True)
    if len(token) > KEEP_WHOLE:
        return f'<span class="long">{escaped}</span>' if cell else escaped
    if _UNBREAKABLE.fullmatch(token) and not _BREAK_AROUND_BRACKET.search(token):
        return escaped
    return f'<span class="nw">{escaped}</span>'


def state(name: str) -> str:
    """A state (`query.STATES`) as its word in a badge, in the reader's language; its colour only repeats the word."""
    css = "state-" + name if name in STATES else "state-open"
    return f'<span class="state {css}">{t(state_word(name))}</span>'


def state_words(standing: Standing) -> str:
    """`overdue (5 days overdue)`: the state as a badge, the rest of `report_tables.state_words` as text.

    A retirement's reason is never struck through.
    """
    rest = report_tables.state_words(standing)[len(state_word(standing.state)) :]
    return state(standing.state) + t(rest)


def link(text: str, *, cell: bool = False) -> str:
    """Evidence: a link when it is an http or https address, text otherwise."""
    if report_tables.is_web_link(text):
        return f'<a href="{h(text.strip())}" rel="noopener noreferrer">{t(text, cell=cell)}</a>'
    return t(text, cell=cell)


def table(data: report_tables.Table, ident: str, caption: str, *, hidden_caption: bool = False) -> str:
    """`data` as a table: its caption, headers scoped to their column, the cell naming each row scoped to its row."""
    if not data.rows:
        return _none()
    head = tuple(f'<th scope="col"{_num(n, data)}>{t(header)}</th>' for n, header in enumerate(data.headers))
    # A state cell holds the word a reader reads (`en retard`); its badge's colour is its state's (`overdue`).
    states = {state_word(name): name for name in STATES} if data.state_column is not None else {}
    rows = []
    for row in data.rows:
        cells = []
        for n, cell in enumerate(row):
            content = state(states.get(cell, cell)) if n == data.state_column else t(cell, cell=True)
            tag = 'th scope="row"' if n == data.key_column else "td"
            css = ' class="text"' if n in data.one_line else ' class="nw"' if n in data.nowrap else _num(n, data)
            cells.append(f"<{tag}{css}>{content}</{tag[:2]}>")
        rows.append("".join(cells))
    return _table(ident, caption, hidden_caption, head, rows)


def _table(ident: str, caption: str, hidden_caption: bool, head: tuple[str, ...], rows: list[str]) -> str:
    """The table in a box that scrolls sideways when the page is narrower (a phone), named by the caption.

    The box takes the keyboard focus (`tabindex`), so it scrolls without a
    mouse too, and is a region named by the caption, so a screen reader says
    what has the focus.
    """
    hidden = ' class="sr-only"' if hidden_caption else ""
    cap = f'<caption id="{ident}"{hidden}>{t(caption)}</caption>'
    return (
        f'<div class="scroll" tabindex="0" role="region" aria-labelledby="{ident}">'
        f"<table>{cap}<thead><tr>{''.join(head)}</tr></thead><tbody>\n"
        + "\n".join(f"<tr>{row}</tr>" for row in rows)
        + "\n</tbody></table></div>"
    )


def _none() -> str:
    """What stands for an empty table."""
    return f"<p>{t(_('None.'))}</p>"


def _num(n: int, data: report_tables.Table) -> str:
    return ' class="num"' if n in data.numeric else ""


_CSS_STRING_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_()")


def css_string(text: str) -> str:
    """Text as a CSS string: any character but letters, digits, spaces and `.,:;-_()` as an escape, so nothing in it
    can end the string, the rule or the style sheet (`"`, `\\`, a newline, `</style>`). Each escape ends with a
    space, which CSS takes as its end (a space after it would be taken otherwise)."""
    return '"' + "".join(c if c in _CSS_STRING_PLAIN else f"\\{ord(c):x} " for c in visible(text)) + '"'


def page_rule(left: str, right: str) -> str:
    """The printed page: the title at the top left, the date at the top right, `Page 2 of 5` at the bottom.

    The same on every page.
    """
    top, side = PAGE_MARGIN_MM
    running = left if len(left) <= 90 else left[:89] + "…"
    return (
        f"@page {{ margin: {top}mm {side}mm;\n"
        f"  @top-left {{ content: {css_string(running)}; {_PAGE_BOX} }}\n"
        f"  @top-right {{ content: {css_string(right)}; {_PAGE_BOX} }}\n"
        f"  @bottom-right {{ content: {page_numbers()}; {_PAGE_BOX} }}\n"
        "}"
    )


_PAGE_COUNTERS = re.compile(r"(\{page\}|\{pages\})")


def page_numbers() -> str:
    """`"Page " counter(page) " of " counter(pages)`: the page's number as CSS content, in the reader's language."""
    parts = []
    for part in _PAGE_COUNTERS.split(_("Page {page} of {pages}")):
        if part in ("{page}", "{pages}"):
            parts.append(f"counter({part[1:-1]})")
        elif part:
            parts.append(css_string(part))
    return " ".join(parts)


def page(title: str, body: list[str], dated: str = "") -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language.current()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)}</title>\n<style>\n{CSS}\n{page_rule(title, dated)}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


@renders(HTML)
def milestones(rows: list[Standing], title: str | None = None) -> str:
    """`export --format html`: one row per milestone, in five columns so that it fits a printed page.

    The columns `export` writes elsewhere are all here, two or three to a
    cell: the id with its kind and recommendation; the text with its
    evidence, each piece on its own line; the leads; the due date with the
    original one when it moved; the state with its countdown and the day it
    was completed.
    """
    title = title or _("Milestones")
    headers = (_("ID"), _("Milestone"), _("Leads"), _("Due"), _("State"))
    head = tuple(f'<th scope="col">{t(header)}</th>' for header in headers)
    cells = []
    for s in rows:
        m = s.milestone
        evidence = _sub(colon(_("Evidence"))) + _evidence(s) if m.evidence else ""
        original = _sub(_("originally {date}").format(date=s.original_due)) if s.original_due != s.due else ""
        completed = (
            _sub(_("completed {date}").format(date=s.completed)) if s.completed and s.state != "complete" else ""
        )  # `complete` says its day
        kind = _("{kind}, recommendation {id}").format(kind=report_tables.kind_in_table(m.kind), id=m.recommendation)
        cells.append(
            f'<th scope="row">{t(m.id, cell=True)}{_sub(kind)}</th>'
            f'<td class="text">{t(one_line(m.text), cell=True)}{evidence}</td>'
            f"<td>{t(lead_names(s), cell=True)}</td>"
            f"<td>{t(report_tables.day(s.due))}{original}</td>"
            f"<td>{state(s.state)}{_sub(countdown(s))}{completed}</td>"
        )
    listing = _table("t-milestones", _("Milestones"), True, head, cells) if cells else _none()
    body = ["<header>", f"<h1>{t(title)}</h1>", "</header>", "<main>", listing, "</main>"]
    return page(title, body, report_tables.as_of(rows[0].as_of) if rows else "")


def _sub(text: str) -> str:
    """A second line in a cell: the kind of an id, the original of a due date, a countdown."""
    return f'<div class="sub">{t(text, cell=True)}</div>'


def _evidence(s: Standing) -> str:
    return (
        '<ul class="evidence">'
        + "".join(f"<li>{link(item, cell=True)}</li>" for item in s.milestone.evidence)
        + "</ul>"
    )


@renders(HTML)
def report(report: Report) -> str:
    auditor = report.plan.audit.auditor
    stale_days = report.stale_after.days
    changes_since = _("Changes since {date}").format(date=report.since)
    body = [
        "<header>",
        f"<h1>{t(report_tables.title(report))}</h1>",
        f'<p class="meta">{t(auditor)}{" · " if auditor else ""}{t(report_tables.subtitle(report))}</p>',
        "</header>",
        "<main>",
        '<section id="summary">',
        f"<h2>{t(_('Summary'))}</h2>",
        f"<p>{t(report_tables.headline(report))}</p>",
        table(report_tables.summary_table(report, _("Plan")), "t-summary", _("All milestones")),
        table(report_tables.recommendation_table(report.recommendations), "t-recommendations", _("By recommendation")),
        table(
            report_tables.summary_table(report, _("Organization"), report.by_org),
            "t-organizations",
            _("By organization"),
        ),
        table(report_tables.summary_table(report, _("Lead"), report.by_lead), "t-leads", _("By lead")),
        "</section>",
        '<section id="slippage">',
        f"<h2>{t(_('Slippage'))}</h2>",
        f"<p>{t(report_tables.completion_sentence(report))}</p>",
        f"<p>{t(report_tables.slippage_sentence(report.slippage))}</p>",
        table(
            report_tables.slippage_table(_("Recommendation"), report.slippage_by_recommendation),
            "t-slippage-recommendations",
            _("Slippage by recommendation"),
        ),
        table(
            report_tables.slippage_table(_("Lead"), report.slippage_by_lead),
            "t-slippage-leads",
            _("Slippage by lead"),
        ),
        "</section>",
        '<section id="stale">',
        "<h2>"
        + t(
            n_(
                "Stale items: open, no activity in {days} days",
                "Stale items: open, no activity in {days} days",
                stale_days,
            ).format(days=stale_days)
        )
        + "</h2>",
        table(report_tables.stale_table(report.stale), "t-stale", _("Stale items"), hidden_caption=True),
        "</section>",
        '<section id="changes">',
        f"<h2>{t(changes_since)}</h2>",
        table(report_tables.changes_table(report.changes), "t-changes", changes_since, hidden_caption=True),
        "</section>",
    ]
    for detail in report.details:
        body.extend(_recommendation(detail))
    body.append("</main>")
    return page(report_tables.title(report), body, report_tables.as_of(report.as_of))


def _recommendation(detail: RecommendationDetail) -> list[str]:
    rec = detail.recommendation
    out = [f'<section id="rec-{h(rec.id)}">', f"<h2>{t(_('Recommendation {id}').format(id=rec.id))}</h2>"]
    if detail.progress:
        status = t(report_tables.recommendation_status(detail.progress))
        out.append(f"<p><strong>{t(colon(_('Status')))}</strong> {status}</p>")
    out.append(f'<p class="quote">{t(one_line(rec.text))}</p>')
    if rec.bullets:
        out.append("<ul>" + "".join(f"<li>{t(one_line(b))}</li>" for b in rec.bullets) + "</ul>")
    response = _("Response (agreed)") if rec.response.agreed else _("Response (not agreed)")
    out.append(f"<p><strong>{t(colon(response))}</strong> {t(one_line(rec.response.text))}</p>")
    if detail.outcome:
        out.append(_milestone(_("Expected outcome"), detail.outcome))
    for action in detail.actions:
        out.extend(_action(action))
    out.append("</section>")
    return out


def _action(detail: ActionDetail) -> list[str]:
    action = detail.action
    heading = _("Action {id}").format(id=with_printed(action.id, action.label))
    if detail.standing:
        return [_milestone(heading, detail.standing)]
    out = [f"<h3>{t(heading)}</h3>", f"<p>{t(one_line(action.text))}</p>"]
    return out + [
        _milestone(_("Step {id}").format(id=with_printed(step.milestone.id, step.milestone.label)), step, "h4")
        for step in detail.steps
    ]


def _milestone(label: str, s: Standing, tag: str = "h3") -> str:
    m = s.milestone
    fields = []
    for field in report_tables.detail_fields(s):
        if field.kind == "state":
            value = state_words(s)
        elif field.kind == "link":
            value = link(field.value)
        else:
            value = t(field.value)
        fields.append(f"<dt>{t(field.label)}</dt><dd>{value}</dd>")
    return (
        f'<article class="milestone" id="m-{h(m.id)}"><{tag}>{t(label)} {state(s.state)}</{tag}>'
        f"<p>{t(one_line(m.text))}</p><dl>{''.join(fields)}</dl></article>"
    )
