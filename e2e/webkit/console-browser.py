#!/usr/bin/python3
"""A minimal WebKitGTK browser for WebKitWebDriver that prints its console.

WebKitGTK can write every console message to stdout (the WebKitSettings property
`enable-write-console-messages-to-stdout`), but not for an ephemeral (private)
session, and MiniBrowser's automation mode always uses one. This browser is the
same engine (Debian's libwebkit2gtk-4.1, through PyGObject) with a persistent
session in a temporary directory, so WebKit prints lines such as

    CONSOLE SECURITY ERROR Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 200
    CONSOLE JS ERROR Fetch API cannot load http://localhost:8000/… due to access control checks.

which e2e/src/engines/webkit.rs reads from the driver's output.

WebKitWebDriver starts it with `--automation` (webkitgtk:browserOptions) and the
address of its inspector server in WEBKIT_INSPECTOR_SERVER.
Needs: python3-gi, gir1.2-webkit2-4.1 (scripts/install-browsers.sh).
"""

import os
import shutil
import signal
import sys
import tempfile

# The console lines are written by WebKit's web processes, children of this one:
# line-buffer their stdout, or the lines wait in a buffer until they exit.
STDBUF = "/usr/libexec/coreutils/libstdbuf.so"
if os.path.exists(STDBUF) and os.environ.get("_STDBUF_O") != "L":
    os.environ["LD_PRELOAD"] = STDBUF
    os.environ["_STDBUF_O"] = "L"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import gi  # noqa: E402

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

if "--automation" not in sys.argv[1:]:
    sys.exit("console-browser.py: only runs under WebKitWebDriver (expects --automation)")

data = tempfile.mkdtemp(prefix="webkit-console-")
manager = WebKit2.WebsiteDataManager(base_data_directory=data, base_cache_directory=data)
context = WebKit2.WebContext(website_data_manager=manager)
context.set_automation_allowed(True)
settings = WebKit2.Settings(
    enable_write_console_messages_to_stdout=True,
    enable_developer_extras=True,
)
windows = []


def create_web_view(_session):
    view = WebKit2.WebView(
        web_context=context, settings=settings, is_controlled_by_automation=True
    )
    window = Gtk.Window()
    window.set_default_size(1280, 2000)
    window.add(view)
    window.show_all()
    view.connect("close", lambda _view: window.destroy())
    windows.append(window)
    return view


def automation_started(_context, session):
    info = WebKit2.ApplicationInfo()
    info.set_name("console-browser")
    info.set_version(
        WebKit2.get_major_version(), WebKit2.get_minor_version(), WebKit2.get_micro_version()
    )
    session.set_application_info(info)
    session.connect("create-web-view", create_web_view)


def quit_(*_args):
    Gtk.main_quit()
    return GLib.SOURCE_REMOVE


context.connect("automation-started", automation_started)
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, quit_)
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, quit_)
try:
    Gtk.main()
finally:
    shutil.rmtree(data, ignore_errors=True)
