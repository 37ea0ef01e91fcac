"""Adds the request id to every log line, so an error a clerk reports can be found with its audit events."""

import logging

from audit.context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
