"""How every Django form of the portal renders: Bootstrap 5 classes on each widget,
a label above it, the field's errors under it in red and all of a form's errors at
once (issue #11). One renderer (``FORM_RENDERER``) so no template styles a form by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


def widget_css_class(widget: forms.Widget) -> str:
    """The Bootstrap class of a widget: check boxes, selects and the rest."""
    if isinstance(widget, CHECK_WIDGETS):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class PortalBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.HiddenInput):
            return attrs
        classes = [attrs.get("class", ""), widget_css_class(widget)]
        if self.errors:
            classes.append("is-invalid")
            attrs["aria-invalid"] = "true"
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs

    @property
    def is_check(self) -> bool:
        return isinstance(self.field.widget, forms.CheckboxInput)


class PortalFormRenderer(TemplatesSetting):
    """``{{ form }}`` / ``{{ field.as_field_group }}`` in the portal's shape."""

    form_template_name = "partials/forms/form.html"
    field_template_name = "partials/forms/field.html"
    bound_field_class = PortalBoundField
