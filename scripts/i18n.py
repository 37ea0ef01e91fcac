#!/usr/bin/env python
"""Regenerate and compile the zh_Hans catalogue.

Translations live in locale/zh_Hans/fragments/*.json (one file per area of the product, each a
{"English msgid": "中文"} object), so several people can add strings without editing the same .po.
This script:
  1. runs `manage.py makemessages -l zh_Hans` (needs GNU gettext's xgettext: `apt-get install gettext`),
  2. fills every msgstr from the fragments (plural forms: the fragment value is used for every form),
  3. compiles locale/zh_Hans/LC_MESSAGES/django.mo with polib (no msgfmt needed),
  4. lists the msgids that still have no translation and exits 1 if there are any (--check).

Usage: .venv/bin/python scripts/i18n.py [--check] [--no-extract]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale" / "zh_Hans"
PO_PATH = LOCALE / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE / "LC_MESSAGES" / "django.mo"


def load_fragments() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALE / "fragments").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for msgid, msgstr in data.items():
            if msgid in merged and merged[msgid] != msgstr:
                print(
                    f"warning: {path.name} translates {msgid!r} differently from another fragment",
                    file=sys.stderr,
                )
            merged[msgid] = msgstr
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if any msgid is untranslated")
    parser.add_argument("--no-extract", action="store_true", help="skip makemessages; only fill and compile")
    args = parser.parse_args()
    if not args.no_extract:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-location",
                "--no-obsolete",
                "--ignore=.venv/*",
                "--ignore=static/vendor/*",
                "--ignore=tests/*",
                "--ignore=bench/*",
            ],
            cwd=ROOT,
            check=True,
        )
    fragments = load_fragments()
    catalogue = polib.pofile(str(PO_PATH))
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in catalogue:
        translation = fragments.get(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {k: "" for k in entry.msgstr_plural} if entry.msgid_plural else {}
        if entry.msgid_plural:
            if translation:
                entry.msgstr_plural = {0: translation}
            if not entry.msgstr_plural or not entry.msgstr_plural.get(0):
                missing.append(entry.msgid)
        else:
            if translation:
                entry.msgstr = translation
            if not entry.msgstr:
                missing.append(entry.msgid)
    catalogue.save(str(PO_PATH))
    catalogue.save_as_mofile(str(MO_PATH))
    print(f"{len(catalogue)} messages, {len(missing)} untranslated -> {MO_PATH.relative_to(ROOT)}")
    for msgid in missing:
        print(f"  untranslated: {msgid!r}")
    return 1 if (missing and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
