"""Template helpers for figures: grouped numbers, and the pledge adherence line (planning/_quarters.html)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from restons.web import figures

register = template.Library()


@register.filter
def grouped(value) -> str:
    """12345 → "12,345" (English) or "12 345" (French), whatever USE_THOUSAND_SEPARATOR says."""
    return number_format(value, force_grouping=True)


@register.simple_tag
def adherence_chart(quarters, uid="", org: str = ""):
    """A pledge's adherence per quarter as a line (the quarters of ``pledge_report``); ``uid`` makes its ids unique."""
    chart_id = f"adherence-{uid}" if uid != "" else "adherence"
    title = _("Adherence per quarter, %(org)s") % {"org": org} if org else _("Adherence per quarter")
    return figures.adherence(list(quarters), chart_id=chart_id, title=title)
