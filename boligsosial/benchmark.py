"""The benchmark's yardstick (bench/bench_pages.py): a bare page in the app's frame with a
crispy form of 10 questions, running 5 queries. Every page of the app is measured against it
in the same run, so the figures say how much a page costs beyond what any form page costs.

Routed only when BENCHMARK_PAGES is set (boligsosial/urls.py); never in production.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from boligsosial.forms import CleanTextMixin

QUESTIONS = 10
CHOICES = [("yes", "Ja"), ("no", "Nei"), ("unknown", "Vet ikke")]


class BareForm(CleanTextMixin, forms.Form):
    """Ten questions as the section pages ask them: text areas and choices, alternating."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, QUESTIONS + 1):
            if n % 2:
                self.fields[f"q{n}"] = forms.CharField(
                    label=f"Spørsmål {n}: hvordan arbeider kommunen med dette?",
                    help_text="Skriv kort om dagens praksis.",
                    widget=forms.Textarea(attrs={"rows": 3}),
                    required=False,
                )
            else:
                self.fields[f"q{n}"] = forms.ChoiceField(
                    label=f"Spørsmål {n}: finnes det skriftlige rutiner?",
                    choices=CHOICES,
                    required=False,
                )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Lagre"))


def bare_form(request: HttpRequest) -> HttpResponse:
    # Five queries, as small as a section page's own.
    facts = {
        "user": User.objects.filter(pk=request.user.pk).values_list("username", flat=True).first(),
        "groups": list(Group.objects.values_list("name", flat=True)[:5]),
        "permissions": list(Permission.objects.values_list("codename", flat=True)[:10]),
        "types": ContentType.objects.count(),
        "users": User.objects.filter(is_active=True).count(),
    }
    initial = {f"q{n}": "Vi samarbeider med NAV om oppfølging." for n in range(1, QUESTIONS + 1, 2)}
    return render(
        request, "benchmark/bare.html", {"form": BareForm(initial=initial), "facts": facts}
    )
