"""Import: upload an export and see what it brought; then the likely duplicates, side by side.

The upload runs :func:`restons.services.imports.run_import`, the function behind
``restons import``; accepting or rejecting a duplicate runs
:func:`restons.services.merges.decide`, the one behind ``restons merge``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from restons.identities import normalise_region
from restons.models import MergeSuggestion, Person
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.imports import run_import
from restons.services.merges import decide, pending_suggestions
from restons.web.middleware import user_settings
from restons.web.shortcuts import back

SOURCES = [
    ("linkedin", gettext_lazy("LinkedIn export (the .zip, or Connections.csv)")),
    ("vcard", gettext_lazy("vCard file (.vcf) from Apple, Google or Outlook")),
    ("google-csv", gettext_lazy("Google Contacts CSV")),
    ("outlook-csv", gettext_lazy("Outlook CSV")),
]
# Room in a multipart body for the form fields and part headers around the file itself.
FORM_OVERHEAD = 64 * 1024


def _too_big(size: int) -> str:
    return _("This file is %(size)s; the largest import accepted is %(limit)s. "
             "Split it, or raise RESTONS_MAX_UPLOAD_MB.") % {
        "size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}


def _page(request, status: int = 200, **context):
    """The import page; the form keeps what was chosen (never read from an unread oversized body)."""
    # The region field holds the user's real region (Settings), not a placeholder: what it shows is what applies.
    region = user_settings(request).region
    for field, default in (("source", "linkedin"), ("region", region), ("me", "")):
        if field not in context:
            context[field] = request.POST.get(field, default) if request.method == "POST" else default
    context["sources"] = SOURCES
    context["pending"] = owned(MergeSuggestion, request.user).filter(status=MergeSuggestion.Status.PENDING).count()
    context["max_upload"] = settings.MAX_UPLOAD_BYTES
    return render(request, "restons/imports/page.html", context, status=status)


@csrf_exempt  # checked by csrf_protect below, once the size is known to be acceptable
def import_page(request):
    """GET: the form. POST: refuse an oversized body before reading it, else import the file."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_BYTES + FORM_OVERHEAD:
            # request.POST and request.FILES are never touched: the body is not read.
            return _page(request, status=413, error=_too_big(length - FORM_OVERHEAD),
                         source="linkedin", region=user_settings(request).region, me="")
    return _import(request)


@csrf_protect
def _import(request):
    if request.method != "POST":
        return _page(request)
    source = request.POST.get("source", "")
    upload = request.FILES.get("file")
    if source not in dict(SOURCES):
        return _page(request, status=400, error=_("Choose what kind of file this is."))
    if upload is None:
        return _page(request, status=400, error=_("Choose a file to import."))
    if upload.size > settings.MAX_UPLOAD_BYTES:
        return _page(request, status=413, error=_too_big(upload.size))
    options = {}
    if source == "linkedin" and request.POST.get("me", "").strip():
        options["owner_profile_url"] = request.POST["me"].strip()
    try:
        region = normalise_region(request.POST["region"]) if request.POST.get("region", "").strip() else None
        summary = run_import(request.user, source, upload, region=region, **options)
    except UserError as error:
        return _page(request, status=400, error=str(error))
    return _page(request, summary=summary, file_name=upload.name)


def _people_side_by_side(owner, rows: list[dict]) -> list[dict]:
    """Each suggestion with both people's identities, organisations and last touch (four queries)."""
    ids = {p["id"] for row in rows for p in row["people"]}
    people = (
        owned(Person, owner).filter(id__in=ids)
        .prefetch_related("identities", "affiliations__organisation")
        .in_bulk()
    )
    for row in rows:
        row["people"] = [people[p["id"]] for p in row["people"]]
    return rows


def duplicates(request):
    rows = _people_side_by_side(request.user, pending_suggestions(request.user))
    return render(request, "restons/imports/duplicates.html", {"suggestions": rows})


def _decide(request, suggestion_id: int, accept: bool):
    suggestion = owned(MergeSuggestion, request.user).select_related("person_a", "person_b").filter(
        pk=suggestion_id).first()
    names = (suggestion.person_a.name, suggestion.person_b.name) if suggestion else ("", "")
    kept = decide(request.user, suggestion_id, accept=accept)  # NotFound (404) for anyone else's
    if kept is not None:
        message = _("Merged: %(name)s now has the addresses and pings of both.") % {"name": kept.name}
    else:
        message = _("%(first)s and %(second)s stay apart; this pair will not be suggested again.") % {
            "first": names[0], "second": names[1]}
    if not request.htmx:
        messages.success(request, message)
        return back(request, "import-duplicates")
    return render(request, "restons/imports/_decided.html",
                  {"suggestion_id": suggestion_id, "kept": kept, "message": message})


@require_POST
def accept(request, suggestion_id: int):
    return _decide(request, suggestion_id, accept=True)


@require_POST
def reject(request, suggestion_id: int):
    return _decide(request, suggestion_id, accept=False)


urlpatterns = [
    path("import/", import_page, name="import"),
    path("import/duplicates/", duplicates, name="import-duplicates"),
    path("import/duplicates/<int:suggestion_id>/accept/", accept, name="import-accept"),
    path("import/duplicates/<int:suggestion_id>/reject/", reject, name="import-reject"),
]
