"""Reminders on the web: their Settings sections, the calendar feed, the digest's one-click pages, the PWA files.

Pages reached from outside a session (the feed, the digest's links, the
unsubscribe) need no login: each is opened by a secret or a signed token that
names one user, and a wrong one looks exactly like a missing page (404).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import path
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from restons import conf
from restons.models import Channel, Interaction, Person
from restons.services import deliveries, digest, feed, reminders, worker
from restons.services.access import get_owned, owned

STATIC = Path(__file__).resolve().parent.parent.parent / "static" / "restons"


# -- Settings --------------------------------------------------------------------

def settings_context(request) -> dict:
    """What the Settings page's digest, feed and push sections show (one small helper, called by account.py)."""
    from django.utils.dates import WEEKDAYS as NAMES

    row = reminders.reminders_of(request.user)
    last = deliveries.last_deliveries(request.user)
    return {
        "reminders": row,
        "reminders_can": reminders.availability(),
        "reminders_weekdays": [(i, NAMES[i]) for i in range(7)],
        "reminders_hours": [(h, f"{h:02d}:00") for h in range(24)],
        # The address the user reaches this page at, unless the instance names its public one.
        "reminders_feed_url": ((conf.get("RESTONS_BASE_URL") if conf.is_set("RESTONS_BASE_URL")
                                else request.build_absolute_uri("/").rstrip("/")) + reminders.feed_path(row)
                               if row.feed_key else ""),
        "reminders_last": last,
        "reminders_worker": worker.status(),
        "reminders_topic": row.ntfy_topic or reminders.suggested_topic(),
    }


@require_POST
def save_digest(request):
    reminders.set_digest(request.user, frequency=request.POST.get("digest", ""),
                         weekday=request.POST.get("weekday"), hour=request.POST.get("hour"))
    messages.success(request, _("Digest saved."))
    return redirect("/settings/#digest")


@require_POST
def send_digest_now(request):
    """Settings' "Send me today's digest now": today's digest, to the user's own address, at once."""
    messages.success(request, deliveries.send_now(request.user))
    return redirect("/settings/#digest")


@require_POST
def save_feed(request):
    if request.POST.get("action") == "off":
        reminders.disable_feed(request.user)
        messages.success(request, _("The calendar feed is off; its address answers nothing now."))
    else:
        reminders.regenerate_feed(request.user)
        messages.success(request, _("A new calendar address is ready; the old one answers nothing now."))
    return redirect("/settings/#feed")


@require_POST
def save_push(request):
    reminders.set_push(request.user, ntfy_topic=request.POST.get("ntfy_topic", ""),
                       webhook_url=request.POST.get("webhook_url", ""),
                       new_webhook_secret=bool(request.POST.get("new_secret")))
    messages.success(request, _("Notifications saved."))
    return redirect("/settings/#push")


# -- the calendar feed ----------------------------------------------------------------

@login_not_required
@require_GET
def calendar_feed(request, key: str, secret: str):
    """The private ICS feed; 404 for a wrong or old secret; 304 when the calendar has it already."""
    row = reminders.feed_owner(key, secret)
    if row is None:
        raise Http404()
    built = feed.build(row)
    etag = f'"{built.etag}"'
    headers = {"ETag": etag, "Last-Modified": http_date(built.modified.timestamp()),
               "Cache-Control": "private, max-age=900"}
    match = request.META.get("HTTP_IF_NONE_MATCH")
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    if (match and etag in [m.strip() for m in match.split(",")]) or (
            not match and since is not None and int(built.modified.timestamp()) <= since):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(built.body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="restons.ics"'
    for name, value in headers.items():
        response[name] = value
    return response


# -- the digest's links ------------------------------------------------------------------

def _action_target(token: str):
    """(owner, person, data) named by a digest link; Http404 for a forged, expired or dangling one."""
    data = digest.read_action_token(token)
    if data is None:
        raise Http404()
    owner = get_user_model().objects.filter(pk=data["o"]).first()
    if owner is None:
        raise Http404()
    person = get_owned(Person, owner, pk=data["p"])  # NotFound (404) once they were forgotten
    return owner, person, data


@login_not_required
@require_http_methods(["GET", "POST"])
def digest_action(request, token: str):
    """A digest's "I pinged them" or "Snooze a week": a page with one button; the POST does it.

    A GET changes nothing (mail scanners follow links). Logging twice from the same
    digest does nothing the second time.
    """
    from restons.services.accounts import activate
    from restons.services.interactions import log_ping
    from restons.services.people import snooze

    owner, person, data = _action_target(token)
    activate(owner)
    with translation.override(digest.language_of(owner)):
        context = {"person": person, "action": data["a"], "token": token, "done": False, "already": False}
        if data["a"] == "ping":
            since = timezone.make_aware(datetime.fromisoformat(data["d"]))  # the digest's day, 00:00 local
            context["already"] = owned(Interaction, owner).filter(
                person=person, direction__in=("out", "both"), at__gte=since).exists()
        if request.method == "POST" and not context["already"]:
            if data["a"] == "ping":
                log_ping(owner, person, direction="out", channel=Channel.OTHER)
            else:
                context["until"] = timezone.localdate() + timedelta(days=7)
                snooze(owner, person, context["until"])
            context["done"] = True
        return render(request, "restons/digest/action.html", context)


@login_not_required
@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no cookie; the URL is signed
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop the digest with no login: a page with one button, or the mail client's one-click POST."""
    owner_id = digest.read_unsubscribe_token(token)
    owner = get_user_model().objects.filter(pk=owner_id).first() if owner_id is not None else None
    if owner is None:
        raise Http404()
    with translation.override(digest.language_of(owner)):
        done = False
        if request.method == "POST":
            reminders.unsubscribe(owner)
            done = True
        return render(request, "restons/digest/unsubscribe.html", {"token": token, "done": done})


# -- the installable web app -------------------------------------------------------------

@login_not_required
@cache_control(max_age=3600)
def manifest(request):
    return JsonResponse({
        "name": "Restons",
        "short_name": "Restons",
        "description": _("Let's stay in touch, for real."),
        "lang": translation.get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f5f2",
        "theme_color": "#2d6a4f",
        "icons": [
            {"src": static("restons/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("restons/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("restons/icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }, content_type="application/manifest+json")


@login_not_required
def service_worker(request):
    """The service worker, served from the root so that its scope is the whole app."""
    body = (STATIC / "sw.js").read_text().replace("__STATIC__", settings.STATIC_URL.rstrip("/"))
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
def offline(request):
    """What the service worker shows for a page it has not kept, when the network is gone."""
    return render(request, "restons/digest/offline.html")


urlpatterns = [
    path("settings/digest/", save_digest, name="settings-digest"),
    path("settings/digest/send/", send_digest_now, name="settings-digest-send"),
    path("settings/feed/", save_feed, name="settings-feed"),
    path("settings/push/", save_push, name="settings-push"),
    path("feed/<str:key>/<str:secret>.ics", calendar_feed, name="calendar-feed"),
    path("digest/act/<str:token>/", digest_action, name="digest-action"),
    path("digest/unsubscribe/<str:token>/", unsubscribe, name="digest-unsubscribe"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service-worker"),
    path("offline/", offline, name="offline"),
]
