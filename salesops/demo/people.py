"""The demo organisation: 星辰智能科技有限公司 in Shanghai, its director, two teams and their people (R1).

People and teams are made only through ``salesops.accounts.services`` and the set-up is completed through
``salesops.organisation.setup``, so the demo carries the same checks and history as an organisation an
admin set up by hand. Every demo login shares one password,
``DEMO_PASSWORD``: it is for trying the system out and must never be used on a real installation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from salesops.accounts import services
from salesops.accounts.models import Role, User
from salesops.core.clock import local_today
from salesops.demo.registry import DemoContext, Progress, demo_steps, step_rng
from salesops.organisation.setup import organisation_complete_setup, organisation_update

DEMO_ORG_NAME = "星辰智能科技有限公司"
DEMO_PASSWORD = "Demo-2026!"
DEMO_SEED = "demo"
EMAIL_DOMAIN = "xingchen-ai.example.com"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    phone: str
    role: str
    team: str | None = None


@dataclass(frozen=True)
class DemoTeam:
    name: str
    lead: str
    reps: tuple[str, ...]


ADMIN = DemoPerson("admin", "周静", "13601728845", Role.ADMIN)
DIRECTOR = DemoPerson("chen.zhiqiang", "陈志强", "13901652270", Role.DIRECTOR)
TEAMS = (
    DemoTeam("华东大客户组", "lin.haitao", ("zhang.wei", "wang.fang", "li.na", "liu.yang", "yang.fan")),
    DemoTeam("华南渠道组", "huang.xiaomin", ("wu.ting", "zheng.kai", "he.jiayi", "xu.wenbo", "luo.li")),
)
PEOPLE = (
    ADMIN,
    DIRECTOR,
    DemoPerson("lin.haitao", "林海涛", "13817346602", Role.LEAD, "华东大客户组"),
    DemoPerson("zhang.wei", "张伟", "13761948823", Role.REP, "华东大客户组"),
    DemoPerson("wang.fang", "王芳", "15800917364", Role.REP, "华东大客户组"),
    DemoPerson("li.na", "李娜", "18621053397", Role.REP, "华东大客户组"),
    DemoPerson("liu.yang", "刘洋", "13524870156", Role.REP, "华东大客户组"),
    DemoPerson("yang.fan", "杨帆", "17721386640", Role.REP, "华东大客户组"),
    DemoPerson("huang.xiaomin", "黄晓敏", "13922817705", Role.LEAD, "华南渠道组"),
    DemoPerson("wu.ting", "吴婷", "13632579981", Role.REP, "华南渠道组"),
    DemoPerson("zheng.kai", "郑凯", "18926643018", Role.REP, "华南渠道组"),
    DemoPerson("he.jiayi", "何佳怡", "15013862479", Role.REP, "华南渠道组"),
    DemoPerson("xu.wenbo", "许文博", "13714095532", Role.REP, "华南渠道组"),
    DemoPerson("luo.li", "罗丽", "18820736914", Role.REP, "华南渠道组"),
)


def demo_logins() -> list[tuple[str, str, str, str]]:
    """The table the demo prints: role, name (with the team), login name, password."""
    rows = []
    for person in PEOPLE:
        name = f"{person.display_name}（{person.team}）" if person.team else person.display_name
        rows.append((str(Role(person.role).label), name, person.username, DEMO_PASSWORD))
    return rows


def demo_loaded() -> bool:
    return User.objects.filter(username__in=[person.username for person in PEOPLE]).exists()


@transaction.atomic
def load_demo(*, progress: bool = True) -> bool:
    """Create the demo organisation and run the registered demo steps; False if people exist already.

    Idempotent: a database with any person in it is left exactly as it is.
    """
    if User.objects.exists():
        return False
    organisation_update(name=DEMO_ORG_NAME)
    ctx = _create_people(progress)
    for step in demo_steps():
        ctx.rng = step_rng(DEMO_SEED, step.name)
        step.func(ctx)
    organisation_complete_setup(by=ctx.admin)
    return True


def _create_people(progress: bool) -> DemoContext:
    teams = {spec.name: services.team_create(name=spec.name) for spec in TEAMS}
    users: dict[str, User] = {}
    bars = Progress(enabled=progress)
    for person in bars(PEOPLE, desc=_("People"), total=len(PEOPLE)):
        users[person.username] = services.user_create(
            username=person.username,
            password=DEMO_PASSWORD,
            display_name=person.display_name,
            role=person.role,
            team=teams[person.team] if person.team else None,
            phone=person.phone,
            email=f"{person.username}@{EMAIL_DOMAIN}",
        )
    director = users[DIRECTOR.username]
    for spec in TEAMS:
        teams[spec.name] = services.team_update(team=teams[spec.name], lead=users[spec.lead], director=director)
    return DemoContext(
        admin=users[ADMIN.username],
        director=director,
        teams=list(teams.values()),
        leads=[users[spec.lead] for spec in TEAMS],
        reps=[users[username] for spec in TEAMS for username in spec.reps],
        today=local_today(),
        rng=step_rng(DEMO_SEED, "people"),
        progress=bars,
    )
