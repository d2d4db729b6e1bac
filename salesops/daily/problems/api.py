"""API for R5 problems and R6 success cases: /api/problems/ (with ``assign``, ``start``, ``resolve`` and
``history``) and /api/success-cases/. Rows are read through ``visible_to`` (R1: the team's people, its lead
and director, an admin); a customer or deal a row names is given only to those who see it. Ids of
customers, deals, people or teams outside the caller's scope answer 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from salesops.accounts.models import Team, User
from salesops.accounts.requests import AuthedRequest
from salesops.core.api import ChangeSerializer, ScopedModelViewSet
from salesops.core.fields import IdField, KnownFieldsOnly, StrictCharField, version_required
from salesops.customers.models import Customer
from salesops.daily.problems import selectors, services
from salesops.daily.problems.filters import ProblemFilterSet, SuccessCaseFilterSet
from salesops.daily.problems.models import (
    Problem,
    ProblemCategory,
    ProblemSource,
    ResourceKind,
    SuccessCase,
)
from salesops.deals.models import Deal

VERSION_HELP = gettext_lazy("The version read; refused (409 stale) when the row was changed since.")
SEEN_HELP = gettext_lazy("Null when the caller does not see it (R1).")


class ProblemSerializer(serializers.ModelSerializer[Problem]):
    raised_by_name = serializers.CharField(source="raised_by.display_name", read_only=True)
    owner_user_name = serializers.CharField(source="owner_user.display_name", read_only=True, default=None)
    customer = serializers.SerializerMethodField(help_text=SEEN_HELP)
    customer_name = serializers.SerializerMethodField(help_text=SEEN_HELP)

    class Meta:
        model = Problem
        fields = ["id", "team", "raised_by", "raised_by_name", "title", "detail", "category", "owner_user",
                  "owner_user_name", "owner_resource", "status", "customer", "customer_name", "source", "resolution",
                  "created_at", "started_at", "resolved_at", "resolved_by", "version"]
        read_only_fields = fields

    def get_customer(self, problem: Problem) -> int | None:
        return problem.customer_id if selectors.link_name(problem, "customer") is not None else None

    def get_customer_name(self, problem: Problem) -> str | None:
        return selectors.link_name(problem, "customer")


class ProblemCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    title = StrictCharField(max_length=services.TITLE_MAX)
    detail = StrictCharField(max_length=services.TEXT_MAX, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=ProblemCategory.choices)
    customer = IdField(required=False, allow_null=True, default=None)
    # a declared field, not Field.source
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=ProblemSource.choices, required=False, default=ProblemSource.OTHER)
    team = IdField(required=False, allow_null=True, default=None,
                   help_text=gettext_lazy("A team the caller manages; their own team when left out."))


class ProblemUpdateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    title = StrictCharField(max_length=services.TITLE_MAX, required=False)
    detail = StrictCharField(max_length=services.TEXT_MAX, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=ProblemCategory.choices, required=False)


class AssignSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    owner_user = IdField(required=False, allow_null=True, default=None)
    owner_resource = serializers.ChoiceField(choices=ResourceKind.choices, required=False, allow_blank=True,
                                             default="")


class StartSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)


class ResolveSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    resolution = StrictCharField(max_length=services.TEXT_MAX)


class SuccessCaseSerializer(serializers.ModelSerializer[SuccessCase]):
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    customer = serializers.SerializerMethodField(help_text=SEEN_HELP)
    customer_name = serializers.SerializerMethodField(help_text=SEEN_HELP)
    deal = serializers.SerializerMethodField(help_text=SEEN_HELP)
    deal_title = serializers.SerializerMethodField(help_text=SEEN_HELP)

    class Meta:
        model = SuccessCase
        fields = ["id", "team", "author", "author_name", "title", "story", "customer", "customer_name", "deal",
                  "deal_title", "created_at", "version"]
        read_only_fields = fields

    def get_customer(self, case: SuccessCase) -> int | None:
        return case.customer_id if selectors.link_name(case, "customer") is not None else None

    def get_customer_name(self, case: SuccessCase) -> str | None:
        return selectors.link_name(case, "customer")

    def get_deal(self, case: SuccessCase) -> int | None:
        return case.deal_id if selectors.link_name(case, "deal") is not None else None

    def get_deal_title(self, case: SuccessCase) -> str | None:
        return selectors.link_name(case, "deal")


class SuccessCaseCreateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    title = StrictCharField(max_length=services.TITLE_MAX)
    story = StrictCharField(max_length=services.TEXT_MAX)
    customer = IdField(required=False, allow_null=True, default=None)
    deal = IdField(required=False, allow_null=True, default=None)
    team = IdField(required=False, allow_null=True, default=None,
                   help_text=gettext_lazy("A team the caller manages; their own team when left out."))


class SuccessCaseUpdateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    version = IdField(required=False, help_text=VERSION_HELP)
    title = StrictCharField(max_length=services.TITLE_MAX, required=False)
    story = StrictCharField(max_length=services.TEXT_MAX, required=False)


def _row(rows: QuerySet[Any], pk: int | None, missing: str) -> Any:
    if pk is None:
        return None
    found = rows.filter(pk=pk).first()
    if found is None:
        raise Http404(missing)
    return found


def _team(user: User, pk: int | None) -> Team | None:
    return _row(Team.objects.visible_to(user), pk, _("No such team."))


class ProblemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """R5 problems of the caller's teams: raise, correct, and the states as actions (assign an owner,
    start, resolve), each by whom R5 names."""

    model = Problem
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilterSet

    def get_queryset(self) -> QuerySet[Problem]:
        return selectors.problem_list(user=self.request.user)  # type: ignore[arg-type]

    def _answer(self, problem: Problem, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.problem_detail(user=self.request.user, pk=problem.pk)  # type: ignore[arg-type]
        return Response(ProblemSerializer(fresh).data, status=code)

    @extend_schema(request=ProblemCreateSerializer, responses={201: ProblemSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = ProblemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["customer"] = _row(Customer.objects.visible_to(request.user).filter(is_active=True),
                                  fields["customer"], _("No such customer."))
        fields["team"] = _team(request.user, fields["team"])
        problem = services.problem_raise(by=request.user, **fields)
        return self._answer(problem, status.HTTP_201_CREATED)

    @extend_schema(request=ProblemUpdateSerializer, responses=ProblemSerializer)
    def partial_update(self, request: AuthedRequest, pk: str | None = None) -> Response:
        problem = self.get_object()
        data = ProblemUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = version_required(fields)
        services.problem_update(by=request.user, problem=problem, version=version, **fields)
        return self._answer(problem)

    @extend_schema(request=AssignSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """R5: the owner, a person (``owner_user``) or a kind of resource (``owner_resource``)."""
        problem = self.get_object()
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["owner_user"] = _row(User.objects.visible_to(request.user), fields["owner_user"], _("No such person."))
        services.problem_assign(by=request.user, problem=problem, **fields)
        return self._answer(problem)

    @extend_schema(request=StartSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: AuthedRequest, pk: str | None = None) -> Response:
        problem = self.get_object()
        data = StartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.problem_start(by=request.user, problem=problem, **data.validated_data)
        return self._answer(problem)

    @extend_schema(request=ResolveSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: AuthedRequest, pk: str | None = None) -> Response:
        problem = self.get_object()
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.problem_resolve(by=request.user, problem=problem, **data.validated_data)
        return self._answer(problem)

    @extend_schema(request=None, responses=ChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: AuthedRequest, pk: str | None = None) -> Response:
        problem = self.get_object()
        return Response(ChangeSerializer(selectors.problem_changes(problem=problem), many=True).data)


class SuccessCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """R6 success cases of the caller's teams: share one, correct one's own."""

    model = SuccessCase
    serializer_class = SuccessCaseSerializer
    filterset_class = SuccessCaseFilterSet

    def get_queryset(self) -> QuerySet[SuccessCase]:
        return selectors.success_case_list(user=self.request.user)  # type: ignore[arg-type]

    def _answer(self, case: SuccessCase, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.success_case_list(user=self.request.user).get(pk=case.pk)  # type: ignore[arg-type]
        return Response(SuccessCaseSerializer(fresh).data, status=code)

    @extend_schema(request=SuccessCaseCreateSerializer, responses={201: SuccessCaseSerializer})
    def create(self, request: AuthedRequest) -> Response:
        data = SuccessCaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["customer"] = _row(Customer.objects.visible_to(request.user).filter(is_active=True),
                                  fields["customer"], _("No such customer."))
        fields["deal"] = _row(Deal.objects.visible_to(request.user).filter(is_active=True), fields["deal"],
                              _("No such deal."))
        fields["team"] = _team(request.user, fields["team"])
        case = services.success_case_create(by=request.user, **fields)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=SuccessCaseUpdateSerializer, responses=SuccessCaseSerializer)
    def partial_update(self, request: AuthedRequest, pk: str | None = None) -> Response:
        case = self.get_object()
        data = SuccessCaseUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = version_required(fields)
        services.success_case_update(by=request.user, case=case, version=version, **fields)
        return self._answer(case)
