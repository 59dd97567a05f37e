"""Form fields that keep restons.limits: Django's own fields accept year 1 and texts of any length."""

from __future__ import annotations

from django import forms

from restons import limits
from restons.services.errors import UserError


class DateField(forms.DateField):
    """A date typed in a form (``<input type="date">``), between limits.DATE_MIN and DATE_MAX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": limits.DATE_MIN.isoformat(), "max": limits.DATE_MAX.isoformat()}

    def validate(self, value):
        super().validate(value)
        try:
            limits.check_date(value)
        except UserError as exc:
            raise forms.ValidationError(str(exc)) from None


class TextField(forms.CharField):
    """A free text (notes, how you met, an outcome's note) of at most limits.TEXT_MAX characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(limits.TEXT_MAX)}

    def validate(self, value):
        super().validate(value)
        try:
            limits.check_text(value)
        except UserError as exc:
            raise forms.ValidationError(str(exc)) from None


class LongSelect(forms.Select):
    """A ``<select>`` of hundreds of plain options (time zones, phone regions), written in one pass.

    Django renders each option through its own template: the Settings page spent most of its time
    (about 850 options) there. Same HTML, without option groups, which these lists do not have.
    """

    def render(self, name, value, attrs=None, renderer=None):
        from django.forms.utils import flatatt
        from django.utils.html import format_html, format_html_join
        from django.utils.safestring import mark_safe

        chosen = set(self.format_value(value))
        options = format_html_join("", "<option value=\"{}\"{}>{}</option>", (
            (option, mark_safe(" selected") if str(option) in chosen else "", label)
            for option, label in self.choices))
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(self.build_attrs(self.attrs, attrs)),
                           options)
