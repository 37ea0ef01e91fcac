"""manage.py audit_verify — recompute the audit chain and name the first broken event."""

from django.core.management.base import BaseCommand, CommandError

from audit.verification import audit_chain_verify

PROBLEMS = {
    "missing": "该事件已被删除",
    "link": "它记录的上一事件哈希与实际不符，链条在此断开",
    "content": "它的内容与其哈希不符，记录被改动过",
    "truncated": "日志末尾的事件已被删除",
    "head": "最后一个事件与链头记录的哈希不符",
}


class Command(BaseCommand):
    help = (
        "检查审计日志的哈希链是否完整。完整时打印已检查的事件数并以 0 退出；"
        "发现被篡改、删除的事件时打印第一个出问题的事件编号并以非 0 退出。 "
        "(Verify the audit log's hash chain; exits non-zero and names the first broken event when tampered.)"
    )

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if report.is_intact:
            self.stdout.write(
                self.style.SUCCESS(f"审计日志完整：已检查 {report.checked} 个事件，哈希链无断裂。")
            )
            return
        raise CommandError(
            f"审计日志已被篡改：第一个出问题的事件是 #{report.first_broken_sequence}：{PROBLEMS.get(report.problem, report.problem)}。"
            f"在它之前的 {report.checked} 个事件完好。"
        )
