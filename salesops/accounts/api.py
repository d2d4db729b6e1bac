"""API for people and teams: /api/auth/token/, /api/me/, /api/teams/, /api/users/ (API.md)."""

from __future__ import annotations

from typing import Any, cast

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from salesops.accounts import services
from salesops.accounts.filters import TeamFilterSet, UserFilterSet
from salesops.accounts.handover import MoveTo
from salesops.accounts.models import Role, Team, User
from salesops.accounts.requests import AuthedRequest
from salesops.core.api import LockedOut, ScopedModelViewSet
from salesops.core.fields import VERSION_HELP, IdField, KnownFieldsOnly, version_if_sent
from salesops.core.filters import MAX_ID
from salesops.core.schema import error_responses


class TeamBriefSerializer(serializers.ModelSerializer[Team]):
    class Meta:
        model = Team
        fields = ["id", "name"]


class UserSerializer(KnownFieldsOnly, serializers.ModelSerializer[User]):
    refused_fields = {
        "password": gettext_lazy(
            "A password is not changed here: its owner changes it on the account page, or an admin resets it "
            "in the management pages."
        ),
    }
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    password = serializers.CharField(write_only=True, required=True, style={"input_type": "password"})
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = User
        fields = [
            "id", "username", "password", "display_name", "role", "team", "phone", "email", "language", "is_active",
            "version",
        ]
        read_only_fields = ["is_active"]
        extra_kwargs = {"role": {"required": True}, "display_name": {"required": True}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["team"].queryset = Team.objects.visible_to(request.user)  # type: ignore[attr-defined]
        if self.instance is not None:
            fields["username"].read_only = True
            fields.pop("password", None)
        return fields


class UserUpdateSerializer(UserSerializer):
    version = IdField(required=False, help_text=VERSION_HELP)  # type: ignore[assignment]

    class Meta(UserSerializer.Meta):
        fields = ["id", "username", "display_name", "role", "team", "phone", "email", "language", "is_active",
                  "version"]
        read_only_fields = ["username", "is_active"]


class DeactivateSerializer(KnownFieldsOnly, serializers.Serializer[Any]):
    move_to = serializers.ChoiceField(
        choices=MoveTo.choices, required=False, allow_blank=True, default="",
        help_text=gettext_lazy("Where the person's customers and open work go: user, lead or pool."),
    )
    to_user = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None,
        help_text=gettext_lazy("The person who takes the work over, with move_to=user."),
    )

    def validate_to_user(self, value: int | None) -> User | None:
        if value is None:
            return None
        person = User.objects.visible_to(self.context["request"].user).filter(pk=value).first()
        if person is None:
            raise serializers.ValidationError(_("No such person in your teams."))
        return cast(User, person)


class DeactivatedUserSerializer(UserSerializer):
    moved = serializers.DictField(
        child=serializers.IntegerField(), read_only=True,
        help_text=gettext_lazy("How many of each kind of open work moved, e.g. {\"customers\": 37}."),
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "moved"]


class TeamSerializer(KnownFieldsOnly, serializers.ModelSerializer[Team]):
    lead = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.LEAD), allow_null=True, required=False
    )
    director = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.DIRECTOR), allow_null=True, required=False
    )
    member_count = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)

    class Meta:
        model = Team
        fields = ["id", "name", "lead", "director", "is_active", "member_count", "version"]
        read_only_fields = ["is_active"]


class TeamUpdateSerializer(TeamSerializer):
    version = IdField(required=False, help_text=VERSION_HELP)  # type: ignore[assignment]


class MeSerializer(KnownFieldsOnly, serializers.ModelSerializer[User]):
    teams = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "team", "teams", "language", "phone", "email"]
        read_only_fields = ["id", "username", "role", "team", "teams"]

    @extend_schema(exclude=True)
    def get_teams(self, user: User) -> list[dict[str, Any]]:
        teams = Team.objects.visible_to(user).active()
        return TeamBriefSerializer(teams, many=True).data  # type: ignore[return-value]


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenViewSet(viewsets.ViewSet):
    """Exchange a username and password for a new API token (one per device or script, each listed under
    ``/api/me/tokens/``); throttled like the login page."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def get_authenticate_header(self, request: Request) -> str:
        return "Token"  # a wrong password is 401 with WWW-Authenticate, not 403

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
                   **error_responses({429: "locked_out: too many failed logins for this name."})},
    )
    def create(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credentials = {"username": data.validated_data["username"]}
        if AxesProxyHandler.is_locked(request._request, credentials):
            raise LockedOut(_("Too many failed logins: this account is locked for a while. Ask an admin to unlock it."))
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise AuthenticationFailed(_("The login name or password is wrong."))
        _token, key = AuthToken.objects.create(user=user)
        return Response({"token": key})


class MeViewSet(viewsets.ViewSet):
    """The caller: who they are, their teams; they change their own name, language and contact details."""

    singleton = True
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_retrieve", responses=MeSerializer)
    def retrieve(self, request: AuthedRequest) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(operation_id="me_partial_update", request=MeSerializer, responses=MeSerializer)
    def partial_update(self, request: AuthedRequest) -> Response:
        user = request.user
        serializer = MeSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(MeSerializer(user).data)


class TokenSerializer(serializers.ModelSerializer[AuthToken]):
    key = serializers.CharField(source="token_key", read_only=True, help_text=gettext_lazy(
        "The token's first characters: enough to tell it apart and to revoke it, never enough to use it."))
    current = serializers.SerializerMethodField(help_text=gettext_lazy("Whether this request came with it."))

    class Meta:
        model = AuthToken
        fields = ["key", "created", "expiry", "current"]
        read_only_fields = fields

    def get_current(self, token: AuthToken) -> bool:
        used = getattr(self.context.get("request"), "auth", None)
        return isinstance(used, AuthToken) and used.digest == token.digest


class MyTokenViewSet(viewsets.ViewSet):
    """The caller's own API tokens: listed newest first, each revoked on its own (``DELETE``)."""

    permission_classes = [IsAuthenticated]
    lookup_field = "key"
    lookup_value_regex = r"[0-9a-f]{1,15}"

    @extend_schema(operation_id="me_tokens_list", responses=TokenSerializer(many=True))
    def list(self, request: AuthedRequest) -> Response:
        tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
        return Response(TokenSerializer(tokens, many=True, context={"request": request}).data)

    @extend_schema(operation_id="me_tokens_destroy", request=None, responses={204: None},
                   parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, pattern=r"^[0-9a-f]{1,15}$")])
    def destroy(self, request: AuthedRequest, key: str) -> Response:
        services.token_revoke(user=request.user, key=key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedModelViewSet,
):
    """Teams in the caller's scope; admins create them and set lead and director."""

    model = Team
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet
    action_rules = {
        "create": "accounts.manage_teams",
        "update": "accounts.manage_teams",
        "partial_update": "accounts.manage_teams",
        "close": "accounts.manage_teams",
    }

    def get_serializer_class(self) -> type[TeamSerializer]:
        return TeamUpdateSerializer if self.action in ("update", "partial_update") else TeamSerializer

    def base_queryset(self) -> QuerySet[Team]:
        # Meta.ordering does not apply to GROUP BY queries: order explicitly for stable pages.
        return Team.objects.annotate(member_count=Count("members", filter=Q(members__is_active=True))).order_by("name")

    def perform_create(self, serializer: TeamSerializer) -> None:  # type: ignore[override]
        team = services.team_create(**serializer.validated_data)
        serializer.instance = self.base_queryset().get(pk=team.pk)

    def perform_update(self, serializer: TeamSerializer) -> None:  # type: ignore[override]
        assert serializer.instance is not None
        data = dict(serializer.validated_data)
        version = version_if_sent(data)
        team = services.team_update(team=serializer.instance, version=version, **data)
        serializer.instance = self.base_queryset().get(pk=team.pk)

    @extend_schema(request=None, responses=TeamSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        team = services.team_close(team=self.get_object())
        return Response(TeamSerializer(self.base_queryset().get(pk=team.pk)).data)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedModelViewSet,
):
    """People in the caller's scope; admins add, change, deactivate and reactivate them."""

    model = User
    filterset_class = UserFilterSet
    action_rules = {
        "create": "accounts.manage_people",
        "update": "accounts.manage_people",
        "partial_update": "accounts.manage_people",
        "deactivate": "accounts.manage_people",
        "reactivate": "accounts.manage_people",
    }

    def base_queryset(self) -> QuerySet[User]:
        return User.objects.select_related("team")

    def get_serializer_class(self) -> type[serializers.ModelSerializer[User]]:
        return UserUpdateSerializer if self.action in ("update", "partial_update") else UserSerializer

    def perform_create(self, serializer: UserSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.user_create(**serializer.validated_data)

    def perform_update(self, serializer: UserSerializer) -> None:  # type: ignore[override]
        assert serializer.instance is not None
        data = dict(serializer.validated_data)
        version = version_if_sent(data)
        serializer.instance = services.user_update(user=serializer.instance, version=version, **data)

    @extend_schema(request=DeactivateSerializer, responses=DeactivatedUserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: AuthedRequest, pk: str | None = None) -> Response:
        """R15: the person can no longer log in; their customers and open work first move as ``move_to``
        says (a person ``to_user``, the team's lead, or the public pool). Someone who still holds work
        and no ``move_to`` is refused (400 on ``move_to``)."""
        person = self.get_object()
        data = DeactivateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        done = services.user_deactivate(user=person, by=request.user, **data.validated_data)
        return Response({**UserSerializer(done.user).data, "moved": done.moved}, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        user = services.user_reactivate(user=self.get_object())
        return Response(UserSerializer(user).data)

