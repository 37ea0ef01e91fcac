"""Voter-roll import, the pure part: read a township's spreadsheet, normalise and check every row.

No Django models here. The pipeline the task and views wire together::

    safety.check_upload(path, declared_name)         # refuse hostile files before parsing
    roll = reader.read_roll(path, declared_name)     # file → sheets of (row number, cells)
    result = validate.validate_roll(roll, election_day=…, groups=…)
    error_workbook.build_error_workbook(path, declared_name, result.errors)   # preview download
"""
