"""Scratch PostgreSQL databases for benchmarks: each benchmark drops and re-creates its own database
on the server named by the URL, so nothing in the named database is touched.

    from scratch import ScratchDatabase
    scratch = ScratchDatabase(database_url, "bench_statistics")
    url = scratch.recreate()      # empty database, answers its URL (run migrate in a child process)
    ...
    scratch.drop()
"""

from typing import Any
from urllib.parse import urlsplit

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}

Figure = dict[str, Any]


def is_postgresql(database_url: str) -> bool:
    return urlsplit(database_url).scheme in POSTGRES_SCHEMES


def figure(name: str, value: float, unit: str, target: str, passed: bool | None) -> Figure:
    """One row of the benchmark table (bench/run_all.py)."""
    return {"name": name, "value": value, "unit": unit, "target": target, "passed": passed}


class ScratchDatabase:
    def __init__(self, database_url: str, name: str):
        self.database_url = database_url
        self.name = name

    @property
    def url(self) -> str:
        return urlsplit(self.database_url)._replace(path=f"/{self.name}").geturl()

    def _admin_url(self) -> str:
        """A database to connect to while dropping and creating the scratch one."""
        parts = urlsplit(self.database_url)
        if parts.path.strip("/") in ("", self.name):
            parts = parts._replace(path="/postgres")
        return parts.geturl()

    def execute(self, *statements: str) -> list:
        """Run statements in autocommit on the server's admin database; answers the last one's rows."""
        import psycopg2

        connection = psycopg2.connect(self._admin_url())
        rows: list = []
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                    rows = cursor.fetchall() if cursor.description else []
        finally:
            connection.close()
        return rows

    def exists(self) -> bool:
        return bool(self.execute(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'"))

    def recreate(self) -> str:
        """Drop the scratch database (closing its sessions) and create it empty; answers its URL."""
        self.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)", f"CREATE DATABASE {self.name}")
        return self.url

    def drop(self) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
