#!/usr/bin/env python3
"""Drives the audit console (/admin/console) in Debian's headless chromium with selenium, against a live
`weavr-gateway demo` on 127.0.0.1 (the built-in Weavr simulator, SQLite in a temporary directory).

    python3 scripts/console_browser_test.py [BINARY]     # default .build/debug/weavr-gateway

Signs in with the demo's admin token, searches, opens a card's timeline, exports CSV and NDJSON through the
browser's downloads, checks the CSP and other headers, that the browser console has no errors, and that every
page is valid HTML (html5lib, strict); writes screenshots into its temporary directory and prints where.
Exits non-zero with a clear message when chromium or chromium-driver is missing, or on any failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def fail(message):
    print(f"console_browser_test: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def find(*names):
    for name in names:
        path = shutil.which(name) or (name if os.path.exists(name) else None)
        if path:
            return path
    return None


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/weavr-gateway"
    if not os.access(binary, os.X_OK):
        fail(f"{binary} is not built (swift build first)")
    chromium = find("chromium", "/usr/bin/chromium")
    driver_path = find("chromedriver", "/usr/bin/chromedriver")
    if not chromium or not driver_path:
        fail("chromium and chromium-driver are required: apt-get install -y chromium chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait
        import html5lib
    except ImportError as error:
        fail(f"{error.name} is missing: pip install -r scripts/requirements.txt")

    work = tempfile.mkdtemp(prefix="console-browser-")
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    log = open(os.path.join(work, "demo.log"), "w+")
    demo = subprocess.Popen([binary, "demo", "--data-dir", os.path.join(work, "data"), "--port", "0",
                             "--simulator-port", "0", "--admin-port", "0"], stdout=log, stderr=subprocess.STDOUT)
    browser = None
    try:
        base = admin = token = None
        for _ in range(400):
            log.seek(0)
            text = log.read()
            match_base = re.search(r"^  gateway: *(http://127\.0\.0\.1:\d+)", text, re.M)
            match_admin = re.search(r"^  admin API: *(http://127\.0\.0\.1:\d+).*token for this run: ([a-z0-9_]+)", text, re.M)
            if match_base and match_admin:
                base, admin, token = match_base.group(1), match_admin.group(1), match_admin.group(2)
                break
            if demo.poll() is not None:
                fail("the demo gateway exited:\n" + text)
            time.sleep(0.05)
        if not base:
            fail("the demo gateway did not start")

        def call(method, url, body=None, headers=None):
            request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                             headers={"content-type": "application/json", **(headers or {})})
            with urllib.request.urlopen(request) as response:
                return json.loads(response.read() or b"null")

        # A card with a history: issued, blocked, unblocked (audited by the gateway).
        session = call("POST", f"{base}/v1/auth/login",
                       {"tenant": "demo", "email": "alice@example.com", "password": "Password1!", "mode": "bearer"})["token"]
        auth = {"authorization": f"Bearer {session}"}
        card = call("POST", f"{base}/v1/cards", {"name": "Browser card", "nameOnCard": "Alice Admin", "currency": "EUR",
                    "billingAddress": {"line1": "1 Main St", "city": "London", "postCode": "N1 1AA", "country": "GB"}},
                    {**auth, "idempotency-key": f"browser-{time.time_ns()}"})["id"]
        call("POST", f"{base}/v1/cards/{card}/block", None, auth)
        call("POST", f"{base}/v1/cards/{card}/unblock", None, auth)

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,900"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
        browser = webdriver.Chrome(service=Service(driver_path), options=options)
        browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        pages = []

        def wait_for(condition, what):
            """Waits (up to 20 s) for the page the last click or submit loads; fails naming `what`."""
            try:
                WebDriverWait(browser, 20, poll_frequency=0.05).until(lambda _: condition())
            except Exception:
                fail(f"{what} (at {browser.current_url})")

        def visited(what):
            pages.append(browser.current_url)
            errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
            if errors:
                fail(f"browser console errors on {what}: {errors}")

        browser.get(f"{admin}/admin/console")
        if "/admin/console/sign-in" not in browser.current_url:
            fail(f"an anonymous visit should land on the sign-in page, got {browser.current_url}")
        visited("the sign-in page")
        field = browser.find_element(By.ID, "token")
        if browser.switch_to.active_element != field:
            fail("the token field should have the focus")
        field.send_keys(token + Keys.ENTER)
        wait_for(lambda: browser.current_url.startswith(f"{admin}/admin/console/audit"), "sign-in should lead to the audit log")
        visited("the audit log")
        cookie = browser.get_cookie("wgc_session")
        if not cookie or not cookie.get("httpOnly") or cookie.get("sameSite") != "Strict":
            fail(f"the session cookie must be HttpOnly and SameSite=Strict: {cookie}")

        # Search: the filters go into the URL.
        browser.find_element(By.ID, "f-action").send_keys("card.*")
        browser.find_element(By.ID, "f-target").send_keys(card)
        browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        wait_for(lambda: "action=card.*" in urllib.parse.unquote(browser.current_url) and card in browser.current_url,
                 "the search filters should be in the URL")
        rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
        if len(rows) < 3:
            fail(f"expected the card's issue, block and unblock rows, got {len(rows)}")
        visited("a search")
        browser.save_screenshot(os.path.join(work, "search.png"))

        # The card's timeline, from the target link.
        browser.find_element(By.LINK_TEXT, card).click()
        wait_for(lambda: browser.current_url.endswith(f"/admin/console/cards/{card}"), "the target link should open the card's timeline")
        heading = browser.find_element(By.TAG_NAME, "h1").text
        actions = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table tbody tr td:nth-child(5)")]
        for action in ("card.block", "card.unblock"):
            if action not in actions:
                fail(f"the timeline of {card} lacks {action}: {actions}")
        visited("the card timeline")
        browser.save_screenshot(os.path.join(work, "timeline.png"))
        if heading != f"Card {card}":
            fail(f"timeline heading: {heading!r}")

        # Export the current filter through the browser's downloads.
        for link_text, name in (("CSV", "audit.csv"), ("NDJSON", "audit.ndjson")):
            browser.find_element(By.LINK_TEXT, link_text).click()
            path = os.path.join(downloads, name)
            for _ in range(200):
                if os.path.exists(path) and not os.path.exists(path + ".crdownload"):
                    break
                time.sleep(0.05)
            else:
                fail(f"the {link_text} export did not arrive in {downloads}")
            content = open(path, encoding="utf-8").read()
            if card not in content or ("card.block" not in content):
                fail(f"the {link_text} export lacks the card's rows")
        lines = [json.loads(line) for line in open(os.path.join(downloads, "audit.ndjson"), encoding="utf-8") if line.strip()]
        if not lines or any(line["target"] != card for line in lines):
            fail("the NDJSON export should hold exactly the timeline's rows")

        # Chain status: verify, then see the result.
        browser.find_element(By.LINK_TEXT, "Chain and checkpoints").click()
        wait_for(lambda: browser.current_url.endswith("/admin/console/chain"), "the chain page should open")
        browser.find_element(By.XPATH, "//button[normalize-space()='Verify the chain now']").click()
        wait_for(lambda: "Verified up to seq" in browser.page_source, "verifying the chain should report 'Verified up to seq N'")
        visited("the chain page")
        browser.find_element(By.LINK_TEXT, "Tenants").click()
        wait_for(lambda: browser.current_url.endswith("/admin/console/tenants"), "the tenants page should open")
        if not browser.find_elements(By.CSS_SELECTOR, "svg.chart"):
            fail("the tenants page should chart the quota use")
        visited("the tenants page")
        browser.save_screenshot(os.path.join(work, "tenants.png"))

        # Headers and HTML validity of what the server sent (not the browser's DOM).
        cookie_header = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
        parser = html5lib.HTMLParser(strict=True)
        for url in pages + [f"{admin}/admin/console/sign-in"]:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"cookie": cookie_header})) as response:
                if response.headers["content-security-policy"] != CSP:
                    fail(f"{url}: content-security-policy is {response.headers['content-security-policy']!r}")
                if response.headers["x-content-type-options"] != "nosniff" or response.headers["x-frame-options"] != "DENY":
                    fail(f"{url}: nosniff and X-Frame-Options: DENY expected")
                body = response.read()
            try:
                parser.parse(body)
            except Exception as error:
                fail(f"{url} is not valid HTML: {error}")
            if b"<script" in body or b" style=" in body:
                fail(f"{url} carries inline script or style")

        # Signing out ends the session server-side.
        browser.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Sign out')]").click()
        wait_for(lambda: "/admin/console/sign-in" in browser.current_url, "signing out should lead to the sign-in page")
        browser.get(f"{admin}/admin/console/audit")
        if "/admin/console/sign-in" not in browser.current_url:
            fail("after signing out the console should ask to sign in again")
        visited("the page after signing out")
        print(f"console_browser_test: OK ({len(pages)} pages, screenshots and downloads in {work})")
    finally:
        if browser is not None:
            browser.quit()
        demo.terminate()
        try:
            demo.wait(timeout=10)
        except subprocess.TimeoutExpired:
            demo.kill()


if __name__ == "__main__":
    main()
