"""A small browser-like HTTP client (standard library only): cookies, CSRF, keep-alive, timings.

Each load thread owns one ``Session`` (one keep-alive connection, like one browser tab)."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN_VERSION = re.compile(r'name="expected_version" value="(\d*)"')


@dataclass
class Response:
    status: int
    headers: dict
    text: str
    seconds: float
    error: str = ""

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Session:
    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                connection = self._connect()
                connection.request(method, path, body=body, headers=headers)
                raw = connection.getresponse()
                text = raw.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError, OSError) as error:
                self.close()
                # A keep-alive connection the server closed while idle: retry once on a new one
                # (only when nothing was answered; a POST is retried only if it never got through).
                if attempt == 2 or not isinstance(
                    error, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
                ):
                    return Response(0, {}, "", time.perf_counter() - started, error=type(error).__name__)
                started = time.perf_counter()
        seconds = time.perf_counter() - started
        response_headers = {k.lower(): v for k, v in raw.getheaders()}
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return Response(raw.status, response_headers, text, seconds)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Response:
        return self.request("POST", path, form)

    def login(self, username: str, password: str) -> bool:
        page = self.get("/accounts/login/")
        token = CSRF_INPUT.search(page.text)
        if page.status != 200 or token is None:
            return False
        answer = self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )
        return answer.status == 302


def csrf_token(text: str) -> str:
    found = CSRF_INPUT.search(text)
    return found.group(1) if found else ""


def expected_version(text: str) -> str:
    found = HIDDEN_VERSION.search(text)
    return found.group(1) if found else ""
