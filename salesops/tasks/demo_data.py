"""Tasks for ``salesops demo`` and ``salesops generate`` (R16, R20).

Demo: per rep, tasks from their lead in every state, through the services (so each has its history):
open and due later, due today, overdue, overdue and given a new checkpoint, handed in with a visit photo
awaiting the lead, sent back with a comment, and done; one with a measured target (new A customers this
month) and one tied to a customer. The proofs are small images and PDFs made here.

Generator: ``TASKS_PER_REP`` per generated rep (1,000,000 at L) over the history, most done, a few dozen
open, late, handed in or sent back; four in five from the rep's lead, one in five the rep's own. Rows go
in with ``RawLoader`` (COPY / executemany) without history, and the handed-in ones get a proof row each in
one ``INSERT ... SELECT``, all pointing at one stored sample image.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Q, QuerySet

from salesops.accounts.models import User
from salesops.core.files import StoredName, private_storage
from salesops.customers.demo_data import HISTORY_DAYS, raw_delete
from salesops.customers.demo_load import RawLoader, Stamps
from salesops.customers.models import Customer
from salesops.demo.registry import DemoContext, GeneratorContext, register_demo_step, register_generator_step
from salesops.tasks import services
from salesops.tasks.models import ProofKind, Task, TaskCheckpoint, TaskProof, TaskStatus

TASKS_PER_REP = 1000
JOBS = (
    ("拜访{0}并确认二期需求", "拍摄拜访照片，记录客户的需求和预算"),
    ("给{0}发送修改后的报价单", "上传客户确认收到的微信截图"),
    ("安排{0}的样品试用", "上传样品签收单照片"),
    ("邀请{0}参观公司展厅", "上传参观合影"),
    ("收集{0}的售后反馈", "上传客户反馈截图"),
    ("整理{0}的竞品对比资料", "上传资料 PDF"),
)
PLACES = ("苏州恒通", "无锡华锐", "常州力达", "南京远景", "杭州东信", "宁波海天", "合肥中科", "上海申达")
REJECTIONS = ("照片看不清客户门头，请补拍", "截图没有客户确认的内容", "缺少客户签字页", "请补充拜访记录的要点")
DELAYS = ("客户临时出差，改到下周", "样品还在路上", "客户内部评审推迟")


def sample_png(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A small PNG (a coloured gradient): a real image for the demo's proofs, made without an imaging library."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x * 2 + seed * 40) % 256, (y * 3 + 80) % 256, (150 + seed * 25) % 256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(
        b"IEND", b"")


def sample_pdf(text: str = "Signed") -> bytes:
    """A one-page PDF with a line of text (the demo's scans)."""
    stream = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- Demo ------------------------------------------------------------------------------------------


def _photo(n: int) -> ContentFile[bytes]:
    return ContentFile(sample_png(seed=n), name="visit.png")


def _demo_rep(ctx: DemoContext, rep: User, lead: User, n: int) -> None:
    rng, today = ctx.rng, ctx.today
    customers = list(Customer.objects.filter(owner=rep, is_active=True).order_by("pk")[:3])

    def make(days: int, **fields: Any) -> Task:
        title, standard = JOBS[rng.randrange(len(JOBS))]
        fields.setdefault("customer", customers[0] if customers and rng.random() < 0.5 else None)
        place = fields["customer"].name[:8] if fields["customer"] else rng.choice(PLACES)
        return services.task_create(by=lead, assignee=rep, title=title.format(place), standard=standard,
                                    deadline=today + dt.timedelta(days=days), **fields)

    def late(task: Task, days: int) -> None:
        Task.objects.filter(pk=task.pk).update(deadline=today - dt.timedelta(days=days))
        task.refresh_from_db()

    make(rng.randint(3, 10))
    make(0)
    late(make(0), rng.randint(1, 4))
    rescheduled = make(0)
    late(rescheduled, 3)
    services.task_reschedule(by=rep, task=rescheduled, checkpoint=today + dt.timedelta(days=2),
                             reason=rng.choice(DELAYS))
    month_start = today.replace(day=1)
    services.task_create(by=lead, assignee=rep, title="本月新增 3 个 A 类客户", standard="系统按 A 类客户数自动统计",
                         deadline=today + dt.timedelta(days=20), target_measure="new_a_customers", target_count=3,
                         target_since=month_start)
    for state in ("submitted", "rejected", "done"):
        task = make(rng.randint(0, 3))
        services.proof_add(by=rep, task=task, file=_photo(n), kind=ProofKind.VISIT_PHOTO)
        if rng.random() < 0.4:
            services.proof_add(by=rep, task=task, file=ContentFile(sample_pdf(), name="scan.pdf"),
                               kind=ProofKind.FEEDBACK_SCREENSHOT)
        services.task_submit(by=rep, task=task)
        if state == "rejected":
            services.task_reject(by=lead, task=task, comment=rng.choice(REJECTIONS))
        elif state == "done":
            services.task_approve(by=lead, task=task, comment="很好")


def demo_tasks(ctx: DemoContext) -> None:
    """Tasks in every state for each rep, from their lead (see the module docstring)."""
    leads = {lead.team_id: lead for lead in ctx.leads}
    for n, rep in enumerate(ctx.progress(ctx.reps, desc="tasks", total=len(ctx.reps))):
        lead = leads.get(rep.team_id)
        if lead is not None:
            _demo_rep(ctx, rep, lead, n)


# --- Generator -------------------------------------------------------------------------------------

TASK_FIELDS = (
    "title", "content", "standard", "kind", "status", "deadline", "assignee", "assignee_team", "assigner",
    "target_measure", "handover_contact", "decision_comment", "submitted_at", "decided_at", "decided_by",
    "is_active", "created_at", "updated_at", "version",
)
AHEAD = 30  # deadlines up to a month ahead
# Cumulative shares of a rep's tasks by state (the rest are done): about 20 open ahead, 3 due today, 6 late,
# 8 awaiting approval and 4 sent back of 1,000, as a rep's list looks on an ordinary day.
OPEN_AHEAD, DUE_TODAY, LATE, HANDED_IN, SENT_BACK = 0.020, 0.023, 0.029, 0.037, 0.041


def _rows(ctx: GeneratorContext, stamps: Stamps, ahead: list[str]) -> Iterator[tuple[Any, ...]]:
    """Each rep's tasks; ``ahead[n]`` is the date ``n`` days from today."""
    r, span = ctx.rng.random, HISTORY_DAYS - 5
    titles = [(title.format(place), standard) for title, standard in JOBS for place in PLACES]
    for team_id in ctx.team_ids:
        lead = ctx.lead_by_team[team_id]
        for rep in ctx.reps_by_team[team_id]:
            for _ in range(TASKS_PER_REP):
                title, standard = titles[int(r() * len(titles))]
                assigner = lead if r() < 0.8 else rep
                draw, comment = r(), ""
                submitted = decided = decider = None
                if draw < OPEN_AHEAD:  # open, due ahead
                    status, deadline, created = TaskStatus.OPEN, ahead[1 + int(r() * (AHEAD - 1))], 1 + int(r() * 9)
                elif draw < DUE_TODAY:  # due today
                    status, deadline, created = TaskStatus.OPEN, ahead[0], 1 + int(r() * 9)
                elif draw < LATE:  # late
                    days = 1 + int(r() * 20)
                    status, deadline, created = TaskStatus.OPEN, stamps.date(days), days + 2 + int(r() * 9)
                elif draw < HANDED_IN:  # handed in, awaiting the lead
                    status, deadline, created = TaskStatus.SUBMITTED, ahead[int(r() * 5)], 2 + int(r() * 9)
                    submitted = stamps.at(int(r() * 2), 540 + int(r() * 500))
                elif draw < SENT_BACK:  # sent back
                    status, deadline, created = TaskStatus.REJECTED, ahead[int(r() * 5)], 3 + int(r() * 9)
                    submitted, decided = stamps.at(2, 600), stamps.at(1, 660)
                    decider, comment = (lead if assigner == rep else assigner), REJECTIONS[int(r() * len(REJECTIONS))]
                else:  # done
                    days = 1 + int(r() * span)
                    status, deadline, created = TaskStatus.DONE, stamps.date(days), days + 2 + int(r() * 3)
                    submitted, decided = stamps.at(days, 600 + int(r() * 300)), stamps.at(days, 960 + int(r() * 60))
                    decider = lead if assigner == rep else assigner
                created_at = stamps.at(min(created, span), 540 + int(r() * 60))
                yield (
                    title, "", standard, "general", status, deadline, rep, team_id, assigner, "", "", comment,
                    submitted, decided, decider, True, created_at, decided or submitted or created_at, 1,
                )


def generate_tasks(ctx: GeneratorContext) -> None:
    """``TASKS_PER_REP`` tasks per generated rep, and a proof row for each one handed in."""
    stamps = Stamps(ctx.today, HISTORY_DAYS + 10)
    ahead = [(ctx.today + dt.timedelta(days=n)).isoformat() for n in range(AHEAD + 1)]
    loader = RawLoader(ctx, Task, TASK_FIELDS, label=Task._meta.label)
    total = len(ctx.rep_ids) * TASKS_PER_REP
    with ctx.progress.bar(desc=str(Task._meta.verbose_name_plural), total=total) as bar:
        for n, row in enumerate(_rows(ctx, stamps, ahead), start=1):
            loader.add(row)
            if n % 10_000 == 0:
                bar.update(10_000)
    loader.finish()
    stored = private_storage().save(StoredName("proofs")(None, "sample.png"), ContentFile(sample_png()))
    table, tasks = connection.ops.quote_name(TaskProof._meta.db_table), connection.ops.quote_name(Task._meta.db_table)
    reps = ctx.rep_ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (task_id, kind, file, size, uploaded_by_id, uploaded_at, is_active) "  # noqa: S608
            f"SELECT id, %s, %s, %s, assignee_id, submitted_at, %s FROM {tasks} "
            f"WHERE status = %s AND assignee_id >= %s AND assignee_id <= %s",
            [ProofKind.VISIT_PHOTO, stored, len(sample_png()), True, TaskStatus.SUBMITTED, min(reps), max(reps)],
        )
        ctx.counts[TaskProof._meta.label] += cursor.rowcount


def wipe_tasks(generated_users: QuerySet[User]) -> None:
    """Remove the tasks of generated people (assigned to or by them), with their proofs, checkpoints and
    history."""
    users = generated_users.values("pk")
    tasks = Task.objects.filter(Q(assignee__in=users) | Q(assigner__in=users)).values("pk")
    raw_delete(TaskProof.objects.filter(task__in=tasks))
    raw_delete(TaskCheckpoint.objects.filter(task__in=tasks))
    raw_delete(Task.history.model.objects.filter(id__in=tasks))
    raw_delete(Task.objects.filter(pk__in=tasks))


register_demo_step("tasks", demo_tasks)
register_generator_step("tasks", generate_tasks, wipe=wipe_tasks)
