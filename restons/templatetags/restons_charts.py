"""Template helpers: grouped numbers, people of the review as links (or plain text), the pledge adherence line."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from restons import labels
from restons.web import figures

register = template.Library()


@register.filter
def grouped(value) -> str:
    """12345 → "12,345" (English) or "12 345" (French), whatever USE_THOUSAND_SEPARATOR says."""
    return labels.count(value)


@register.simple_tag
def adherence_chart(quarters, uid="", org: str = ""):
    """A pledge's adherence per quarter as a line (the quarters of ``pledge_report``); ``uid`` makes its ids unique."""
    chart_id = f"adherence-{uid}" if uid != "" else "adherence"
    title = _("Adherence per quarter, %(org)s") % {"org": org} if org else _("Adherence per quarter")
    return figures.adherence(list(quarters), chart_id=chart_id, title=title)


@register.filter
def who(person: dict, standalone: bool = False) -> str:
    """A person of the review (``id``, ``name``): a link to their page, or plain text in the standalone copy."""
    if standalone:
        return conditional_escape(person["name"])
    return format_html('<a class="who" href="/people/{}/">{}</a>', person["id"], person["name"])


@register.filter
def names(people, standalone: bool = False) -> str:
    """People as :func:`who`, separated by commas."""
    return mark_safe(", ".join(who(person, standalone) for person in people))
