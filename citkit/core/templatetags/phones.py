"""`{{ number|tel:program.country }}`: a tel: address a phone can dial."""

from django import template

from citkit.core.phones import tel_uri

register = template.Library()


@register.filter
def tel(value, country="US"):
    return tel_uri(value or "", country or "US")
