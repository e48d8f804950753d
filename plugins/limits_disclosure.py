"""The server's file paths stay private: pragma_database_list() shows no file, and
/-/databases.json lists the databases without their path."""

import sqlite3

from datasette import hookimpl
from datasette.utils.asgi import Response


def authorize(action, arg1, arg2, _database, _trigger):
    # The table-valued pragma reads column "file"; Datasette's own PRAGMA database_list
    # statement (which visitors cannot send) is another action and keeps working.
    if action == sqlite3.SQLITE_READ and arg1 == "pragma_database_list" and arg2 == "file":
        return sqlite3.SQLITE_IGNORE  # the column reads as NULL
    return sqlite3.SQLITE_OK


async def databases_without_paths(datasette):
    return Response.json([{k: v for k, v in db.items() if k != "path"}
                          for db in datasette._connected_databases()])


@hookimpl
def prepare_connection(conn):
    conn.set_authorizer(authorize)


@hookimpl
def register_routes():
    return [(r"^/-/databases(\.json)?$", databases_without_paths)]
