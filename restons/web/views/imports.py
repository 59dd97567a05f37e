"""Import: upload an export, follow its import, see what it brought; then the likely duplicates, side by side.

The upload is saved and queued as an import job (:mod:`restons.services.jobs`);
the worker runs :func:`restons.services.imports.run_import`, the function
behind ``restons import``, and the job's page follows it with HTMX until its
summary. Every source of ``SOURCES`` is offered: the ones :data:`KINDS` knows
in their group with their help line, any other under "Other". Accepting or
rejecting a duplicate runs :func:`restons.services.merges.decide`, the one
behind ``restons merge``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from restons import labels
from restons.identities import normalise_region
from restons.models import MergeSuggestion, Person
from restons.services import jobs
from restons.services.access import owned
from restons.services.errors import UserError
from restons.services.imports import CAPTURE_SOURCES, EXPECTED, SOURCES as IMPORTERS
from restons.services.merges import decide, pending_suggestions
from restons.web.middleware import user_settings
from restons.web.shortcuts import back

# Room in a multipart body for the form fields and part headers around the file itself.
FORM_OVERHEAD = 64 * 1024
REGION, ME, SENT, GROUP_CHATS = "region", "me", "sent", "groups"  # the form's option fields


@dataclass(frozen=True)
class Kind:
    """How the Import page offers one source: its name, where its export comes from, what it accepts."""

    label: str
    help: str
    accept: str = ""
    options: tuple[str, ...] = ()


GROUPS = [
    (gettext_lazy("Contacts"), ("linkedin", "vcard", "google-csv", "outlook-csv")),
    (gettext_lazy("Mail and calendar"), ("mbox", "maildir", "ics")),
    (gettext_lazy("Phone and chats"), ("sms-xml", "whatsapp", "telegram", "imessage")),
]
KINDS = {
    "linkedin": Kind(gettext_lazy("LinkedIn"), gettext_lazy(
        "Settings → Data privacy → Get a copy of your data: the .zip, or Connections.csv. "
        "The complete export adds your messages and invitations as pings."), ".zip,.csv,text/csv,application/zip",
        (ME,)),
    "vcard": Kind(gettext_lazy("vCard"), gettext_lazy(
        "A .vcf file. Apple: Contacts → select all → File → Export → Export vCard. "
        "Google: contacts.google.com → Export → vCard."), ".vcf,.vcard,text/vcard,text/x-vcard", (REGION,)),
    "google-csv": Kind(gettext_lazy("Google CSV"), gettext_lazy(
        "contacts.google.com → Export → Google CSV."), ".csv,text/csv", (REGION,)),
    "outlook-csv": Kind(gettext_lazy("Outlook CSV"), gettext_lazy(
        "Outlook: People → Manage → Export contacts (CSV)."), ".csv,text/csv", (REGION,)),
    "mbox": Kind(gettext_lazy("mbox"), gettext_lazy(
        "Gmail: takeout.google.com → Mail (the .mbox file); Thunderbird: ImportExportTools → Export folder. "
        "Only the headers are read."), ".mbox,application/mbox", (SENT,)),
    "maildir": Kind(gettext_lazy("Maildir"), gettext_lazy(
        "A Maildir folder (cur/ and new/, or a tree of them), made into a .zip; or, on the server, "
        "restons import maildir FOLDER."), ".zip,application/zip"),
    "ics": Kind(gettext_lazy("ICS calendar"), gettext_lazy(
        "Google Calendar: Settings → Import & export → Export (the .zip as it is); Apple Calendar: File → Export; "
        "Outlook: Save Calendar. An .ics file, or a .zip of several."), ".ics,.zip,text/calendar,application/zip"),
    "sms-xml": Kind(gettext_lazy("SMS Backup & Restore"), gettext_lazy(
        "Android app SMS Backup & Restore: Back up now, with messages and phone calls; upload the sms-….xml file, "
        "then the calls-….xml file."), ".xml,text/xml,application/xml", (REGION,)),
    "whatsapp": Kind(gettext_lazy("WhatsApp"), gettext_lazy(
        "One chat at a time: Android ⋮ → More → Export chat; iPhone: the name at the top → Export Chat; "
        "Without media. Upload the .txt or the .zip as it is."), ".zip,.txt,text/plain,application/zip", (REGION,)),
    "telegram": Kind(gettext_lazy("Telegram"), gettext_lazy(
        "Telegram Desktop: Settings → Advanced → Export Telegram data, format Machine-readable JSON: "
        "the result.json file."), ".json,application/json", (REGION, GROUP_CHATS)),
    "imessage": Kind(gettext_lazy("iMessage"), gettext_lazy(
        "On a Mac, with Messages quit: a copy of chat.db from ~/Library/Messages (Restons only reads it)."),
        ".db,application/x-sqlite3,application/vnd.sqlite3", (REGION,)),
}
FOLDER_ONLY: set[str] = set()  # a folder no .zip can carry: offered with the command to run instead


def offered() -> list[dict]:
    """Every source ``restons import`` knows, in its group; a source no group names goes under "Other"."""
    grouped, placed = [], set()
    for title, names in GROUPS:
        rows = [_row(name) for name in names if name in IMPORTERS]
        placed.update(names)
        if rows:
            grouped.append({"title": title, "sources": rows})
    others = [_row(name) for name in IMPORTERS if name not in placed]
    if others:
        grouped.append({"title": gettext_lazy("Other"), "sources": others})
    return grouped


def _row(name: str) -> dict:
    kind = KINDS.get(name) or Kind(name, EXPECTED.get(name, ""), "", (REGION,))
    return {"value": name, "label": kind.label, "help": kind.help, "accept": kind.accept, "options": kind.options,
            "upload": name not in FOLDER_ONLY}


def _too_big(size: int) -> str:
    return _("This file is %(size)s; the largest import accepted is %(limit)s. "
             "Split it, or raise RESTONS_MAX_UPLOAD_MB.") % {
        "size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}


def _page(request, status: int = 200, **context):
    """The import page; the form keeps what was chosen (never read from an unread oversized body)."""
    # The region field holds the user's real region (Settings), not a placeholder: what it shows is what applies.
    region = user_settings(request).region
    for field, default in (("source", "linkedin"), (REGION, region), (ME, ""), (SENT, ""), (GROUP_CHATS, "")):
        if field not in context:
            context[field] = request.POST.get(field, default) if request.method == "POST" else default
    context["groups"] = offered()
    context["pending"] = owned(MergeSuggestion, request.user).filter(status=MergeSuggestion.Status.PENDING).count()
    context["max_upload"] = settings.MAX_UPLOAD_BYTES
    context["jobs"] = jobs.recent(request.user)
    return render(request, "restons/imports/page.html", context, status=status)


@csrf_exempt  # checked by csrf_protect below, once the size is known to be acceptable
def import_page(request):
    """GET: the form. POST: refuse an oversized body before reading it, else queue the file's import."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_BYTES + FORM_OVERHEAD:
            # request.POST and request.FILES are never touched: the body is not read.
            return _page(request, status=413, error=_too_big(length - FORM_OVERHEAD),
                         source="linkedin", region=user_settings(request).region, me="", sent="", groups="")
    return _import(request)


@csrf_protect
def _import(request):
    if request.method != "POST":
        return _page(request)
    source = request.POST.get("source", "")
    upload = request.FILES.get("file")
    if source not in IMPORTERS or source in FOLDER_ONLY:
        return _page(request, status=400, error=_("Choose what kind of file this is."))
    if upload is None:
        return _page(request, status=400, error=_("Choose a file to import."))
    if upload.size > settings.MAX_UPLOAD_BYTES:
        return _page(request, status=413, error=_too_big(upload.size))
    wanted = _row(source)["options"]
    options = {}
    if ME in wanted and request.POST.get(ME, "").strip():
        options["owner_profile_url"] = request.POST[ME].strip()
    if SENT in wanted and request.POST.get(SENT):
        options["outgoing"] = True
    if GROUP_CHATS in wanted and request.POST.get(GROUP_CHATS):
        options["groups"] = True
    try:
        if REGION in wanted and request.POST.get(REGION, "").strip():
            options["region"] = normalise_region(request.POST[REGION])
        job = jobs.queue(request.user, source, upload, options=options, language=translation.get_language() or "")
    except UserError as error:
        return _page(request, status=400, error=str(error))
    return redirect("import-job", job_id=job.pk)


def _job_context(job) -> dict:
    summary = job.summary or {}
    ignored = [{"reason": reason, "label": labels.IGNORED.get(reason, reason), "count": count}
               for reason, count in sorted((summary.get("ignored") or {}).items(), key=lambda item: (-item[1], item[0]))]
    imported = bool(summary.get("created") or summary.get("updated") or summary.get("interactions"))
    return {"job": job, "summary": summary, "ignored": ignored, "ignored_total": sum(i["count"] for i in ignored),
            "file_name": job.file_name, "imported": imported, "stalled": _stalled(job),
            # LinkedIn's messages go through the capture rules too: their counts show when there are some.
            "capture": job.source in CAPTURE_SOURCES or bool(summary.get("strangers") or summary.get("ignored"))}


def _stalled(job) -> bool:
    """Queued for a while with no worker alive to take it."""
    from datetime import timedelta

    from django.utils import timezone

    from restons.services.worker import status

    if job.status != job.Status.QUEUED or job.created_at > timezone.now() - timedelta(seconds=10):
        return False
    return status().problem


def job_page(request, job_id: int):
    """One import: waiting, then its progress (polled with HTMX), then its summary or its refusal."""
    job = jobs.job_of(request.user, job_id)  # NotFound (404) for anyone else's
    context = _job_context(job)
    if request.htmx:
        return render(request, "restons/imports/_job.html", context)
    context["pending"] = owned(MergeSuggestion, request.user).filter(status=MergeSuggestion.Status.PENDING).count()
    return render(request, "restons/imports/job.html", context, status=200)


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
    path("import/jobs/<int:job_id>/", job_page, name="import-job"),
    path("import/duplicates/", duplicates, name="import-duplicates"),
    path("import/duplicates/<int:suggestion_id>/accept/", accept, name="import-accept"),
    path("import/duplicates/<int:suggestion_id>/reject/", reject, name="import-reject"),
]
