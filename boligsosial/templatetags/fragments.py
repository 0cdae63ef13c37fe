"""`{% cached_fragment key %}…{% endcached_fragment %}`: a part of a page kept rendered in
Django's cache under a key the view makes from everything the part shows (issue 16: the report
page, the key-figure page).

The view owns the key: it must change with everything the part reads (reports/versions.py,
keyfigures/versions.py). The tag adds the language and the code (templates, Python, compiled
catalogues and installed packages: boligsosial/code_version.py), so a new release never
shows a part rendered by the one before it, whatever cache survived the deploy. Without a
key (None or ""), the part is rendered as if the tag were not there: the PDF goes through
the same template and is never served from this cache.

Before rendering the part (on a miss, or without a key), the tag calls the context's
`fragment_context` (when there is one) for the variables only the part needs, so a hit
reads none of them.
"""

from __future__ import annotations

from django import template
from django.core.cache import cache as django_cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from boligsosial.code_version import code_version

register = template.Library()

CACHE_SECONDS = 24 * 3600


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: template.base.FilterExpression):
        self.nodelist = nodelist
        self.key = key

    def render(self, context: template.Context) -> str:
        key = self.key.resolve(context)
        if not key:
            return self._render(context)
        full_key = f"fragment:{code_version()}:{get_language()}:{key}"
        found = django_cache.get(full_key)
        if found is None:
            found = self._render(context)
            django_cache.set(full_key, str(found), CACHE_SECONDS)
        return mark_safe(found)

    def _render(self, context: template.Context) -> str:
        extra = context.get("fragment_context")
        with context.push(**(extra() if extra else {})):
            return self.nodelist.render(context)


@register.tag
def cached_fragment(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached_fragment key %} takes one key")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]))
