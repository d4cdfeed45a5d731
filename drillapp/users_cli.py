"""`drillapp users ...`: list user accounts, add one, reset a password, lift a lock-out (administrator)."""

from __future__ import annotations

import argparse
from typing import Any

from drillapp.cli_output import ask, print_rows
from drillapp.i18n import _


def add_parser(sub: Any) -> None:
    from drillapp.models.enums import Role

    users = sub.add_parser("users", help="user accounts (administrator)")
    users_sub = users.add_subparsers(dest="users_command", metavar="<list|add|reset-password|unlock>", required=True)
    users_list = users_sub.add_parser("list", help="list the users")
    users_list.add_argument("--json", action="store_true")
    users_add = users_sub.add_parser("add", help="add a user; the password comes from $DRILLAPP_NEW_PASSWORD or is asked for")
    users_add.add_argument("name")
    users_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    users_add.add_argument("--display-name", default="")
    users_reset = users_sub.add_parser("reset-password", help="set a new password for a user (lifts a lock-out)")
    users_reset.add_argument("name")
    users_unlock = users_sub.add_parser("unlock", help="lift a user's lock-out after failed log-ins, at once")
    users_unlock.add_argument("name")


def run(services: Any, args: argparse.Namespace) -> None:
    users = services.users
    if args.users_command == "list":
        rows = [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                 "branch_id": u.branch_id, "active": u.active, "has_password": u.has_password}
                for u in users.users(include_local=True)]
        print_rows(rows, args.json)
    elif args.users_command == "add":
        password = ask(_("New password: "), "DRILLAPP_NEW_PASSWORD")
        from drillapp.models.enums import Role

        users.create_user(args.name, Role(args.role), args.display_name, password=password)
        print(_("User {name} added.").format(name=args.name))
    elif args.users_command == "reset-password":
        user = users.find(args.name)
        users.reset_password(user.id, ask(_("New password: "), "DRILLAPP_NEW_PASSWORD"))
        print(_("Password of {name} reset.").format(name=args.name))
    elif args.users_command == "unlock":
        users.unlock(users.find(args.name).id)
        print(_("{name} can log in again.").format(name=args.name))
