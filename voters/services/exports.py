"""Exporting a roll to Excel (导出选民名单): masked by default; in full only for the revealing roles, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.exports import workbook_bytes
from election_admin.models import Election

from ..choices import Category, VoterStatus
from ..models import Voter
from ..pdf import GENDER_TEXT
from ..pii import decrypt
from .rolls import pii_may_reveal, roll_for_election

HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "出生日期",
    "村民小组",
    "家庭住址",
    "联系电话",
    "登记类别",
    "批准文号",
    "状态",
    "除名原因",
    "备注",
    "选民证编号",
]


@transaction.atomic
def roll_export(*, actor, election: Election, full: bool = False) -> tuple[bytes, str]:
    """The roll as .xlsx (ID numbers and phones masked unless ``full``); answers (bytes, file name)."""
    if full and not pii_may_reveal(actor):
        raise PermissionDenied(_("Only township staff and above may export ID numbers and phones in full."))
    ref = roll_for_election(election)
    voters = Voter.objects.visible_to(actor).filter(**ref.filter_kwargs()).order_by("group", "name", "id")
    rows = []
    for number, v in enumerate(voters.iterator(chunk_size=2000), start=1):
        rows.append(
            [
                number,
                v.name,
                GENDER_TEXT.get(v.gender, ""),
                v.ethnicity,
                decrypt(v.id_encrypted) if full else v.id_masked,
                v.birth_date.isoformat(),
                v.group,
                v.address,
                decrypt(v.phone_encrypted) if full else v.phone_masked,
                {
                    "resident": "户籍且居住",
                    "absent_opted_in": "户籍外出参加",
                    "non_resident_approved": "寄居满一年经同意",
                }[Category(v.category).value],
                v.approval_reference,
                {"registered": "已登记", "struck": "已除名", "restored": "已恢复"}[
                    VoterStatus(v.status).value
                ],
                v.struck_reason,
                v.notes,
                v.serial or "",
            ]
        )
    now = timezone.localtime()
    meta = [
        f"{election.region.full_name()} 选民名单",
        f"导出人：{actor} · 导出时间：{now:%Y-%m-%d %H:%M}",
        "身份证号和电话为完整号码，请妥善保管。" if full else "身份证号和电话已遮蔽。",
    ]
    content, sha256 = workbook_bytes(title="选民名单", header=HEADER, rows=rows, meta=meta)
    audit_record(
        actor=actor,
        event_type="roll.exported",
        region_code=election.region_id,
        obj=election,
        after={"roll": ref.roll, "voters": len(rows), "full": full, "sha256": sha256},
    )
    if full:
        audit_record(
            actor=actor,
            event_type="pii.revealed",
            region_code=election.region_id,
            obj=election,
            after={"field": "id_number,phone", "export": True, "voters": len(rows)},
        )
    suffix = "-full" if full else ""
    return content, f"voter-roll-{election.region_id}-{now:%Y%m%d-%H%M}{suffix}.xlsx"
