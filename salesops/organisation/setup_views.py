"""The first-run set-up page (the manual's 新组建团队的流程搭建), one URL with a ``step`` parameter.

Steps: company name → teams → people (one by one or from a sheet) → leads and directors → rule settings
and finish. Only an admin may use it (others get 403); until it is finished
``middleware.SetupRequiredMiddleware`` sends an admin's pages here, and once finished ``/setup/`` goes
home with a message. Each POST carries ``step`` (and ``action`` where a step has several forms) and
calls one service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.accounts.importing import people_import, people_template_xlsx
from salesops.accounts.models import Role, Team, User
from salesops.accounts.requests import AuthedHttpRequest
from salesops.accounts.services import user_create
from salesops.core.sheets import SHEET_ACCEPT, XLSX_CONTENT_TYPE
from salesops.organisation.models import Organisation, RuleSettings
from salesops.organisation.selectors import organisation, rule_settings, setup_needed
from salesops.organisation.setup import (
    organisation_complete_setup,
    organisation_update,
    setup_missing,
    teams_assign_leaders,
    teams_create,
)

STEPS: list[tuple[str, Any]] = [
    ("company", gettext_lazy("Company")),
    ("teams", gettext_lazy("Teams")),
    ("people", gettext_lazy("People")),
    ("leaders", gettext_lazy("Leads and directors")),
    ("review", gettext_lazy("Rules and finish")),
]
PEOPLE_ROLES = [(Role.REP.value, Role.REP.label), (Role.LEAD.value, Role.LEAD.label),
                (Role.DIRECTOR.value, Role.DIRECTOR.label)]


class CompanyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Company name"), max_length=100)


class TeamsForm(forms.Form):
    names = forms.CharField(
        label=gettext_lazy("Team names"),
        help_text=gettext_lazy("One team a line, e.g. 华东一组."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PersonForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    username = forms.CharField(label=gettext_lazy("Login name"), max_length=150)
    phone = forms.CharField(label=gettext_lazy("Mobile phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=PEOPLE_ROLES)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.filter(is_active=True),
        required=False,
        help_text=gettext_lazy("Reps and leads belong to a team; leave it empty for a director."),
    )
    password = forms.CharField(
        label=gettext_lazy("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Hand it over in person; they can change it under My account."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Sheet (xlsx, xls, ods or csv)"),
        widget=forms.FileInput(attrs={"accept": SHEET_ACCEPT}),
    )


@login_required
def setup(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.has_perm("organisation.run_setup"):
        raise PermissionDenied
    if not setup_needed():
        messages.info(request, _("The set-up is complete. Manage teams and people under Teams and people."))
        return redirect("home")
    if request.GET.get("download") == "template":
        response = HttpResponse(people_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="people-template.xlsx"'
        return response
    step = request.POST.get("step") if request.method == "POST" else request.GET.get("step")
    handler = HANDLERS.get(step or "") or HANDLERS[_first_open_step()]
    return handler(request)


def _steps_done() -> dict[str, bool]:
    return {
        "company": bool(organisation().name.strip()),
        "teams": Team.objects.filter(is_active=True).exists(),
        "people": User.objects.filter(is_active=True, role__in=[r for r, _label in PEOPLE_ROLES]).exists(),
        "leaders": Team.objects.filter(is_active=True, lead__isnull=False).exists(),
        "review": False,
    }


def _first_open_step() -> str:
    done = _steps_done()
    return next(key for key, _label in STEPS if not done[key])


def _redirect_to_step(step: str) -> HttpResponse:
    return redirect(f"{reverse('setup')}?step={step}")


def _render(request: HttpRequest, step: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    done = _steps_done()
    steps = [
        {"key": key, "label": label, "number": number, "done": done[key], "current": key == step,
         "url": f"{reverse('setup')}?step={key}"}
        for number, (key, label) in enumerate(STEPS, start=1)
    ]
    current = next(item for item in steps if item["current"])
    context = {"steps": steps, "current_step": current, "step": step, **context}
    return render(request, f"organisation/setup_{step}.html", context, status=status)


def _company(request: AuthedHttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None, initial={"name": organisation().name})
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The company name is saved."))
            return _redirect_to_step("teams")
    return _render(request, "company", {"form": form})


def _teams(request: AuthedHttpRequest) -> HttpResponse:
    form = TeamsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = teams_create(names=form.cleaned_data["names"].splitlines())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Teams added: %(names)s.") % {"names": "、".join(t.name for t in created)})
            return _redirect_to_step("teams")
    teams = Team.objects.filter(is_active=True).select_related("lead", "director")
    return _render(request, "teams", {"form": form, "teams": teams})


def _people(request: AuthedHttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    is_post = request.method == "POST"
    person_form = PersonForm(request.POST if is_post and action == "person" else None)
    import_form = ImportForm(request.POST, request.FILES) if is_post and action in ("check", "commit") else ImportForm()
    report = None
    if person_form.is_bound and person_form.is_valid():
        try:
            user = user_create(**person_form.cleaned_data)
        except ValidationError as exc:
            person_form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": user.display_name})
            return _redirect_to_step("people")
    if import_form.is_bound and import_form.is_valid():
        # The digest of the checked file, sent back by the report's commit button (see accounts.importing).
        digest = request.POST.get("digest", "") if action == "commit" else None
        if action == "commit" and not digest:
            import_form.add_error(None, _("Check the file before importing it."))
        else:
            report = people_import(
                file=import_form.cleaned_data["file"], dry_run=action == "check", by=request.user,
                expected_digest=digest,
            )
            if report.committed:
                messages.success(request, _("Import done: %(people)s people added, %(teams)s new teams.") % {
                    "people": len(report.people), "teams": len(report.new_teams),
                })
                return _redirect_to_step("leaders")
    if request.headers.get("HX-Request") == "true" and action == "check":
        return render(request, "organisation/setup_import_report.html", {"report": report, "import_form": import_form})
    people = User.objects.filter(is_active=True, role__in=[r for r, _label in PEOPLE_ROLES]).select_related("team")
    return _render(request, "people", {
        "person_form": person_form, "import_form": import_form, "report": report, "people": people,
        "reselect": report is not None,
    })


def _leaders(request: AuthedHttpRequest) -> HttpResponse:
    teams = list(Team.objects.filter(is_active=True).select_related("lead", "director"))
    leads = {u.pk: u for u in User.objects.filter(role=Role.LEAD, is_active=True).select_related("team")}
    directors = {u.pk: u for u in User.objects.filter(role=Role.DIRECTOR, is_active=True)}
    errors: list[str] = []
    if request.method == "POST":
        choices: dict[Team, tuple[User | None, User | None]] = {}
        for team in teams:
            try:
                lead = _chosen_person(request.POST.get(f"lead_{team.pk}", ""), leads)
                director = _chosen_person(request.POST.get(f"director_{team.pk}", ""), directors)
            except ValueError:
                errors.append(_("%(team)s: choose from the list.") % {"team": team.name})
                continue
            choices[team] = (lead, director)
        if not errors:
            try:
                teams_assign_leaders(choices=choices)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Leads and directors are saved."))
                return _redirect_to_step("review")
    rows = [{"team": team, "lead": request.POST.get(f"lead_{team.pk}", str(team.lead_id or "")),
             "director": request.POST.get(f"director_{team.pk}", str(team.director_id or ""))} for team in teams]
    return _render(request, "leaders", {
        "rows": rows, "leads": leads.values(), "directors": directors.values(), "errors": errors,
    })


def _chosen_person(value: str, options: dict[int, User]) -> User | None:
    """The chosen person, None for nobody; ValueError for anything that is not one of the options."""
    if not value:
        return None
    if not value.isdigit() or int(value) not in options:
        raise ValueError(value)
    return options[int(value)]


def _review(request: AuthedHttpRequest) -> HttpResponse:
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            organisation_complete_setup(by=request.user)
        except ValidationError as exc:
            problems = [(key, " ".join(v)) for key, v in exc.message_dict.items()] if hasattr(exc, "error_dict") \
                else [("", message) for message in exc.messages]
        else:
            messages.success(request, _("The set-up is complete. Your team can start working today."))
            return redirect("home")
    else:
        problems = list(setup_missing().items())
    labels = dict(STEPS)
    missing = [{"step": labels.get(key, ""), "url": f"{reverse('setup')}?step={key}" if key else "", "message": text}
               for key, text in problems]
    return _render(request, "review", {
        "rules": _rule_rows(), "missing": missing, "organisation": Organisation.load(),
    }, status=400 if request.method == "POST" else 200)


def _rule_rows() -> list[dict[str, Any]]:
    """Every rule number, read-only, as the admin will find it under rule settings."""
    rules = rule_settings()
    rows = []
    for field in RuleSettings._meta.concrete_fields:
        if field.name in ("id", "updated_at"):
            continue
        value = getattr(rules, field.name)
        if field.choices:
            value = getattr(rules, f"get_{field.name}_display")()
        elif isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        rows.append({"name": field.name, "label": capfirst(field.verbose_name), "value": value,
                     "help": field.help_text})
    return rows


HANDLERS: dict[str, Callable[[AuthedHttpRequest], HttpResponse]] = {
    "company": _company,
    "teams": _teams,
    "people": _people,
    "leaders": _leaders,
    "review": _review,
}
