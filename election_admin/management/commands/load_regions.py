"""``manage.py load_regions``: load the national statistical division codes (统计用区划代码)."""

from argparse import RawDescriptionHelpFormatter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter

from election_admin.regions_loader import DEFAULT_SOURCE_DIR, MAX_ERRORS, regions_load

HELP = f"""导入统计用区划代码（省、地、县、乡、村五级）到区划表。
Load the national statistical division codes (province … village level) into the regions table.

目录中应有以下文件（.csv 或 .csv.gz 均可，UTF-8 编码，有无 BOM 均可，第 1 行为列名，多余的列忽略）：
The folder holds these files (.csv or .csv.gz, UTF-8 with or without BOM, first line the column names):
  provinces  code,name                省级，2 位代码 / 2-digit codes
  cities     code,name,provinceCode   地级，4 位代码 / 4-digit codes
  areas      code,name,cityCode       县级，6 位代码 / 6-digit codes
  streets    code,name,areaCode       乡级，9 位代码 / 9-digit codes
  villages   code,name,streetCode     村级，12 位代码 / 12-digit codes
缺少的文件跳过，其上级必须已在数据库中。 A missing file is skipped; its parents must then be in the database.

先校验全部数据（代码位数、名称、上级代码存在且为代码前缀、无重复），有错误时列出最多 {MAX_ERRORS} 条
（文件名和行号）并退出，不写入任何数据。校验通过后在一个事务中写入：已有代码更新名称、上级和类别，
不删除任何区划，可以放心重复运行。 Everything is checked first (errors listed with file and line,
nothing written); then one transaction inserts new codes and updates changed ones. Nothing is deleted:
safe to re-run.

默认目录 / default folder: {DEFAULT_SOURCE_DIR} (青海省 only).
全国数据 / national data: --path ../shared/data/regions [--province 63]
"""


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's ordering of options, with the description's line breaks kept."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            default=str(DEFAULT_SOURCE_DIR),
            help="区划文件所在目录 / folder holding the files (default: the 青海省 subset shipped with the project)",
        )
        parser.add_argument(
            "--province",
            help="只导入该省的区划，2 位省级代码，如 63 / load only this province, e.g. 63",
        )

    def handle(self, *args, path: str, province: str | None, verbosity: int, **options) -> None:
        try:
            result = regions_load(
                source_dir=path, province=province, stdout=self.stdout if verbosity >= 1 else None
            )
        except ValidationError as exc:
            raise CommandError("区划数据有错误，未写入任何数据：\n" + "\n".join(exc.messages)) from None
        if verbosity >= 1:
            self.stdout.write("\n".join(result.summary_lines()))
