"""The lead's list of open lag alerts (R19) with the talk form on each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesops.accounts.models import Team
from salesops.accounts.requests import AuthedHttpRequest
from salesops.core.errors import Invalid, NotFound, PermissionDenied
from salesops.daily.lag import selectors, services
from salesops.daily.lag.forms import LagTalkForm
from salesops.daily.lag.models import LagAlert


@login_required
def lag_alerts_page(request: AuthedHttpRequest) -> HttpResponse:
    """The open alerts of the teams the caller leads or directs (all for an admin), with their talks."""
    user = request.user
    if not user.has_perm("daily.view_lag_alerts"):
        raise PermissionDenied(_("Only team leads, directors and admins see the lag alerts."))
    teams = list(Team.objects.visible_to(user).active().order_by("name"))
    alerts = list(selectors.open_lag_alerts_of(team_ids=[team.pk for team in teams]))
    groups = [{"team": team, "alerts": [a for a in alerts if a.team_id == team.pk]} for team in teams]
    return render(request, "daily/lag/alerts.html", {"groups": [g for g in groups if g["alerts"]],
                                                      "form": LagTalkForm(auto_id=False)})


@login_required
@require_POST
def lag_talk_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record a talk on an alert (R19); the message says what happened."""
    alert = LagAlert.objects.visible_to(request.user).filter(pk=pk).first()
    if alert is None:
        raise NotFound(_("No such alert."))
    form = LagTalkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("lag-alerts")
    try:
        services.lag_talk_record(by=request.user, alert=alert, **form.cleaned_data)
    except Invalid as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The talk with %(name)s is recorded.") % {"name": alert.subject_user.display_name})
    return redirect("lag-alerts")
