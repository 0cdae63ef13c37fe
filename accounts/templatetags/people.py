from django import template

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A user's full name, else the username; empty for no user."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None."""
    return mapping.get(key) if mapping else None


@register.filter
def comment_target(obj, kind: str) -> str:
    """The value of a comment form's target field: "section:12", "question:7"."""
    return f"{kind}:{obj.pk}"
