"""Settings → your data: download everything (backup, vCard, CSV), and personal access tokens for the API."""

from __future__ import annotations

import tempfile
import zipfile

from django.contrib import messages
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restons.models import ApiToken
from restons.services import tokens
from restons.services.access import get_owned
from restons.services.errors import UserError
from restons.web.reauth import sensitive

FORMATS = {"json", "vcard", "csv"}


def settings_context(request) -> dict:
    """What the Settings page's "Your data" and "API tokens" sections show."""
    return {"api_tokens": list(tokens.list_tokens(request.user)), "token_scopes": ApiToken.Scope.choices}


def _in_request_context(pieces):
    """Stream ``pieces`` under the request's language and time zone (a streamed body outlives the view)."""
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def stream():
        with translation.override(language), timezone.override(zone):
            yield from pieces

    return stream()


def _attachment(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@sensitive  # everything you hold leaves with it: your password (or a code) again first
def download(request):
    """Everything the user owns, streamed: the JSON backup, vCards or a zip of CSV files.

    A sensitive action: the re-authentication decorator of the accounts work goes on this view.
    """
    kind = request.POST.get("format", "json")
    if kind not in FORMATS:
        return HttpResponseBadRequest(_("Choose json, vcard or csv."), content_type="text/plain; charset=utf-8")
    day = timezone.localdate().isoformat()
    if kind == "json":
        from restons.backup.dump import chunks

        response = StreamingHttpResponse(_in_request_context(chunks(request.user)),
                                         content_type="application/json; charset=utf-8")
        return _attachment(response, f"restons-backup-{day}.json")
    if kind == "vcard":
        from restons.exports.vcard import cards

        response = StreamingHttpResponse(_in_request_context(cards(request.user)), content_type="text/vcard; charset=utf-8")
        return _attachment(response, f"restons-contacts-{day}.vcf")
    from restons.exports.spreadsheet import write_zip

    # A zip is written to a temporary file first (its directory comes last), then streamed from there.
    spool = tempfile.TemporaryFile()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        write_zip(request.user, archive)
    spool.seek(0)
    return _attachment(FileResponse(spool, content_type="application/zip"), f"restons-tables-{day}.zip")


@require_POST
@sensitive  # a token can read (or change) everything until revoked
def create_token(request):
    """Make a token and show it once, on the Settings page itself (never in a redirect or a message)."""
    from restons.web.views.account import _settings_page

    try:
        made, secret = tokens.create_token(request.user, request.POST.get("name", ""), request.POST.get("scope", "read"))
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("settings")
    response = _settings_page(request, extra={"new_token": made, "new_secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke_token(request, token_id: int):
    token = get_owned(ApiToken, request.user, id=token_id, revoked_at__isnull=True)
    tokens.revoke_token(request.user, token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("settings")


urlpatterns = [
    path("settings/export/", download, name="export"),
    path("settings/tokens/", create_token, name="token-create"),
    path("settings/tokens/<int:token_id>/revoke/", revoke_token, name="token-revoke"),
]
