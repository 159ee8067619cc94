"""How long "Add story" takes to a usable form, in headless Chromium, against a running server.

    python bench/desk_form.py http://localhost:8000 --user editor --password ... [--runs 5]

Usable: the headline has the focus (type at once) and the body editor exists; the time is counted from the
navigation's start (`performance.now()`), as tests/test_browser_desk.py prints it. Each run logs in with a
fresh browser profile, then opens the form twice: "cold" (its scripts and styles not yet in the browser's
cache; the admin's own base styles are, from the log-in page) and "warm" (the second visit). Beside the time,
the CPU time the page's main thread spent until the page's load event (from a trace's thread times), which a
busy machine sways less. Serve the site as
in production (DEBUG=0, collectstatic, granian; docs/deploy.md) so static files have hashed names and a
year-long cache. Figures in docs/desk.md. Not part of `make bench`: it needs an account with a password.
"""

import argparse
import json
import statistics

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
USABLE = """() => {
  const headline = document.getElementById("id_headline");
  const body = document.querySelector(".field-body [contenteditable=true]");
  return headline && document.activeElement === headline && body ? performance.now() : false;
}"""


def main_thread_ms(trace: bytes) -> float:
    """CPU time of the page's main thread in a trace: less swayed by a busy machine than the clock's time."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    return sum(
        e.get("tdur", 0) / 1000
        for e in events
        if e.get("name") == "ThreadControllerImpl::RunTask"
        and e.get("ph") == "X"
        and (e["pid"], e["tid"]) in mains
    )


def measure(base: str, user: str, password: str, runs: int) -> dict:
    found = {"cold": [], "warm": [], "cold cpu": [], "warm cpu": [], "requests": {}, "errors": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            page = context.new_page()
            page.goto(f"{base}/admin/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_selector("#user-tools")
            requested = []
            page.on("request", lambda request, requested=requested: requested.append(request.url))
            page.on("pageerror", lambda error: found["errors"].append(str(error)))
            for kind in ("cold", "warm"):
                requested.clear()
                browser.start_tracing(page=page, categories=["toplevel"])
                page.goto(f"{base}/admin/articles/article/add/", wait_until="commit")
                found[kind].append(page.wait_for_function(USABLE, polling="raf").json_value())
                page.wait_for_load_state("load")
                found[f"{kind} cpu"].append(main_thread_ms(browser.stop_tracing()))
                found["requests"][kind] = len(requested)
                page.goto(f"{base}/admin/")
            context.close()
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the site's address, e.g. http://localhost:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    found = measure(args.base.rstrip("/"), args.user, args.password, args.runs)
    for kind in ("cold", "warm"):
        times = found[kind]
        print(
            f"{kind}: median {statistics.median(times):.0f} ms, best {min(times):.0f} ms, "
            f"runs {[round(t) for t in times]}, {found['requests'][kind]} requests, "
            f"main thread CPU median {statistics.median(found[f'{kind} cpu']):.0f} ms"
        )
    for error in found["errors"]:
        print("page error:", error)


if __name__ == "__main__":
    main()
