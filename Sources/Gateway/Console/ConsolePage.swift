import NIOFreeHTTP

/// The console's HTML pages: one layout, strict headers.
enum ConsolePage {
    /// No script at all, styles only from the served stylesheet, forms only to this origin, never framed.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// The headers every console answer carries.
    static func headers(contentType: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add("content-type", contentType)
        headers.add("content-security-policy", contentSecurityPolicy)
        headers.add("x-frame-options", "DENY")
        headers.add("cache-control", "no-store")
        return headers
    }

    /// A whole page: `title` (plain text, escaped here) and `main` (markup built with `HTMLText.escape`).
    static func render(title: String, main: String, signedIn: (admin: String, csrf: String)?, status: Int = 200, extraHeaders: [(String, String)] = []) -> HTTPResponse {
        var nav = ""
        if let signedIn {
            nav = """
                <header class="top"><nav aria-label="Console"><ul>\
                <li><a href="/admin/console/audit">Audit log</a></li>\
                <li><a href="/admin/console/chain">Chain and checkpoints</a></li>\
                <li><a href="/admin/console/tenants">Tenants</a></li></ul></nav>\
                <form method="post" action="/admin/console/sign-out" class="signout">\
                <input type="hidden" name="csrf" value="\(HTMLText.escape(signedIn.csrf))">\
                <button type="submit">Sign out \(HTMLText.escape(signedIn.admin))</button></form></header>
                """
        }
        let html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title)) — weavr-gateway console</title>
            <link rel="stylesheet" href="/admin/console/console.css">
            <link rel="icon" href="/admin/console/favicon.svg" type="image/svg+xml">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            \(nav)
            <main id="main">
            <h1>\(HTMLText.escape(title))</h1>
            \(main)
            </main>
            </body>
            </html>

            """
        var headers = headers(contentType: "text/html; charset=utf-8")
        for (name, value) in extraHeaders { headers.add(name, value) }
        return HTTPResponse(status: status, headers: headers, body: Array(html.utf8))
    }

    /// 303 See Other to `location` (after a POST), with `extraHeaders` (cookies).
    static func redirect(_ location: String, extraHeaders: [(String, String)] = []) -> HTTPResponse {
        var headers = headers(contentType: "text/plain; charset=utf-8")
        headers.add("location", location)
        for (name, value) in extraHeaders { headers.add(name, value) }
        return HTTPResponse(status: 303, headers: headers, body: Array("See \(location)\n".utf8))
    }

    static let stylesheet = """
        :root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --bad: #b42318; --good: #1a7f37; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f8fa; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 2; }
        header.top { display: flex; justify-content: space-between; align-items: center; background: #fff; border-bottom: 1px solid var(--line); padding: 0 24px; }
        header.top ul { list-style: none; display: flex; gap: 20px; margin: 0; padding: 12px 0; }
        header.top a { color: var(--accent); text-decoration: none; font-weight: 600; }
        main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
        h1 { font-size: 1.5rem; margin: 8px 0 16px; }
        h2 { font-size: 1.15rem; margin: 24px 0 8px; }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f0b400; outline-offset: 1px; }
        form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px 16px; background: #fff; padding: 12px; border: 1px solid var(--line); border-radius: 6px; }
        form.filters label, form.signin label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
        input, select, button { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 4px; }
        button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
        .actions { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; margin: 12px 0; }
        table { border-collapse: collapse; width: 100%; background: #fff; font-size: .9rem; }
        th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
        th { background: #eef1f4; }
        td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .82rem; word-break: break-all; }
        .outcome-success { color: var(--good); } .outcome-failure, .outcome-denied, .bad { color: var(--bad); }
        .ok { color: var(--good); font-weight: 600; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
        pre { white-space: pre-wrap; word-break: break-all; background: #f3f4f6; padding: 8px; }
        svg.chart rect { fill: var(--accent); }
        svg.chart { background: #fff; border: 1px solid var(--line); }
        form.inline { display: inline; }
        form.signin { max-width: 420px; display: grid; gap: 12px; }
        .error { color: var(--bad); font-weight: 600; }

        """

    static let favicon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M3 4h10v2H3zm0 3h10v2H3zm0 3h6v2H3z" fill="#fff"/></svg>

        """
}
