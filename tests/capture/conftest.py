"""Fixtures for the capture tests: sample paths, and a real IMAP server (Debian's Dovecot).

The ``dovecot`` fixture starts ``dovecot -F`` with a generated configuration
on free loopback ports, with a throw-away Maildir and a passwd-file (no system
accounts, nothing outside a temporary folder). It runs as the current user;
as root (CI containers) it runs as ``nobody``, since Dovecot refuses to run
its login processes as root. Without Dovecot the tests that use it are
skipped, unless RESTONS_REQUIRE_IMAP=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports: every probe stays bound until all are taken (probed one after the
    other, the kernel could give the port it had just released again, and Dovecot refused the duplicate)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@dataclass
class Dovecot:
    """A running Dovecot: ports, a user, a CA context that trusts its certificate."""

    folder: Path
    port: int  # plain IMAP, STARTTLS offered
    tls_port: int  # implicit TLS
    user: str
    password: str
    ssl_context: ssl.SSLContext

    def client(self):
        """A logged-in IMAPClient over the plain loopback port (to set the mailbox up)."""
        import imapclient

        client = imapclient.IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client

    def log(self) -> str:
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _config(folder: Path, port: int, tls_port: int, user: str, group: str, uid: int, gid: int) -> str:
    return f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{folder}/home/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
}}
"""


@pytest.fixture
def dovecot():
    if not os.path.exists(DOVECOT) or not shutil.which("openssl"):
        message = f"Dovecot is not installed at {DOVECOT} (apt-get install dovecot-imapd)"
        if os.environ.get("RESTONS_REQUIRE_IMAP"):
            pytest.fail(message)
        pytest.skip(message)
    # Not under pytest's tmp_path: its parents are private to the current user, and
    # Dovecot's processes (nobody, when we are root) must reach the sockets.
    folder = Path(tempfile.mkdtemp(prefix="restons-dovecot-"))
    os.chmod(folder, 0o755)
    for sub in ("run", "state", "home"):
        (folder / sub).mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )
    (folder / "passwd").write_text(f"alex:{{PLAIN}}{PASSWORD}::::::\n")
    if os.geteuid() == 0:
        account = pwd.getpwnam("nobody")
        uid, gid = account.pw_uid, account.pw_gid
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, uid, gid)
        run_as = {"user": uid, "group": gid, "extra_groups": []}
    else:
        uid, gid = os.getuid(), os.getgid()
        run_as = {}
    user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
    port, tls_port = _free_ports(2)
    (folder / "dovecot.conf").write_text(_config(folder, port, tls_port, user, group, uid, gid))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(folder / "dovecot.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **run_as)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                socket.create_connection(("127.0.0.1", tls_port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    pytest.fail(f"Dovecot did not start: {output}{(folder / 'dovecot.log').read_text(errors='replace') if (folder / 'dovecot.log').exists() else ''}")
                time.sleep(0.05)
        context = ssl.create_default_context(cafile=str(folder / "cert.pem"))
        yield Dovecot(folder, port, tls_port, "alex", PASSWORD, context)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
