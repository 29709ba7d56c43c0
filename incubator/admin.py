"""`incubator admin create`: the first admin (and any later one) from the command line.

No default account or password exists anywhere: the operator creates the first
admin here, typing the password at a prompt (twice) or piping it on stdin.
"""

from __future__ import annotations

import getpass
import sys

from domain.member import COMMAND_LINE, Role
from incubator.identity import AccountError, Identity
from incubator.passwords import MIN_LENGTH
from incubator.settings import Settings


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    print(f"Choose a password of at least {MIN_LENGTH} characters; a few unrelated "
          "words with spaces make a good one.", file=sys.stderr)
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise SystemExit("The two passwords differ; nothing was created.")
    return password


def create_admin_account(settings: Settings, email: str, name: str | None,
                         password_stdin: bool) -> dict[str, str]:
    from incubator.bootstrap import bootstrap

    password = read_password(password_stdin)
    display_name = name or email.split("@")[0]
    services = bootstrap(settings)
    try:
        written = Identity(services).create_local_account(
            email, password, display_name, roles=(Role.ADMIN,), granted_by=COMMAND_LINE)
    except AccountError as refused:
        raise SystemExit("Nothing was created: " + " ".join(refused.problems.values())) from None
    finally:
        services.close()
    return {"member": str(written.id), "email": email.strip().lower(), "role": "admin"}
