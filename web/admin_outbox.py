"""Admins' view of the e-mail outbox: what went out, what waits, what failed.

Without SMTP configured nothing is sent, and this page is where the messages are:
what people would have been told, to which address.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from incubator.mailer import now_utc
from projections import outbox
from web.requests import query, see_other, services
from web.templating import render
from web.urls import url_for

STATE_LABELS = {
    outbox.PENDING: "Waiting", outbox.SENDING: "Sending", outbox.SENT: "Sent",
    outbox.DIGESTED: "In a digest", outbox.UNCERTAIN: "Interrupted: may have gone out",
    outbox.FAILED: "Failed", outbox.NO_ADDRESS: "No e-mail address",
    outbox.EXPIRED: "Too old to send",
}


async def admin_outbox(request: Request, problem: str = "") -> Response:
    engine = services(request).writer
    context = {"messages": await query(outbox.latest, engine),
               "counts": await query(outbox.counts, engine), "labels": STATE_LABELS,
               "smtp_host": services(request).settings.smtp_host, "problem": problem,
               "base_url": services(request).settings.public_url.rstrip("/")}
    return render(request, "admin/outbox.html", context, status_code=422 if problem else 200)


async def admin_outbox_send_again(request: Request) -> Response:
    """An admin's decision: send an interrupted or failed message once more."""
    key = str((await request.form()).get("key") or "")
    if not await query(outbox.send_again, services(request).writer, key, now_utc()):
        return await admin_outbox(request, "Only an interrupted or failed message can be "
                                           "sent again; this one is not (any more).")
    return see_other(request, url_for(request, "admin_outbox").path)
