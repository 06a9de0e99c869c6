import Audit
import Foundation
import Gateway
import GatewayCore
import NIOFreeHTTP
import Testing

/// The audit console's server side over real sockets: sign-in, cookie flags, CSRF, CSP, escaping, audit rows.
@Suite("Admin console")
struct AdminConsoleTests {
    static let policy = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// A browser-like client of the console: keeps the cookies the console sets.
    final class Browser: @unchecked Sendable {
        let gateway: GatewayHarness
        let port: Int
        let token: String
        var cookies: [String: String] = [:]

        convenience init(_ admin: AdminAPITests.Admin) {
            self.init(gateway: admin.gateway, port: Int(admin.server.localAddress!.port), token: admin.token)
        }

        init(gateway: GatewayHarness, port: Int, token: String) {
            self.gateway = gateway
            self.port = port
            self.token = token
        }

        func request(_ method: String, _ path: String, form: [(String, String)]? = nil) async throws -> GatewayHarness.Reply {
            var request = HTTPClientRequest(method: method, url: "http://127.0.0.1:\(port)\(path)")
            if !cookies.isEmpty { request.headers.add("cookie", cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
            if let form {
                request.headers.add("content-type", "application/x-www-form-urlencoded")
                request.body = Array(form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&").utf8)
            }
            let response = try await gateway.client.execute(request)
            for header in response.headers.values("set-cookie") {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let value = pair.count == 2 ? String(pair[1]) : ""
                if value.isEmpty { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = value }
            }
            return GatewayHarness.Reply(status: response.status, headers: response.headers, body: response.body)
        }

        /// The value of the first hidden `csrf` field of `html`.
        static func csrf(_ html: String) -> String? {
            guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        func signIn(token: String? = nil) async throws -> GatewayHarness.Reply {
            let page = try await request("GET", "/admin/console/sign-in")
            let nonce = try #require(Self.csrf(page.text))
            return try await request("POST", "/admin/console/sign-in", form: [("csrf", nonce), ("token", token ?? self.token)])
        }
    }

    func rows(_ admin: AdminAPITests.Admin, action: String) async throws -> [AuditRecord] {
        try await admin.gateway.services.audit.query(AuditFilter(action: action), limit: 1000).records
    }

    @Test(arguments: [
        ("plain text", "plain text"),
        ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        ("a & b \"c\"", "a &amp; b &quot;c&quot;"),
        ("&amp;", "&amp;amp;"),
        ("bell\u{07}and\u{85}", "bell\u{FFFD}and\u{FFFD}"),
        ("tab\tline\n", "tab\tline\n"),
        ("café ☕", "café ☕"),
    ])
    func htmlEscaperEscapesMarkupAndControlCharacters(_ input: String, _ expected: String) {
        #expect(HTMLText.escape(input) == expected)
    }

    @Test func queryComponentsArePercentEncoded() {
        #expect(HTMLText.queryComponent("admin:ops & <x>") == "admin%3Aops%20%26%20%3Cx%3E")
        #expect(HTMLText.queryComponent("card-1_a.b~") == "card-1_a.b~")
    }

    @Test func signInGivesAStrictHttpOnlyCookieAndEveryPageIsAudited() async throws {
        let admin = try await AdminAPITests.Admin()
        let browser = Browser(admin)
        let anonymous = try await browser.request("GET", "/admin/console/audit")
        #expect(anonymous.status == 303 && anonymous.headers["location"] == "/admin/console/sign-in")
        let signInPage = try await browser.request("GET", "/admin/console/sign-in")
        #expect(signInPage.status == 200)
        #expect(signInPage.headers["content-security-policy"] == Self.policy)
        #expect(signInPage.headers["content-type"] == "text/html; charset=utf-8")
        #expect(signInPage.headers["x-frame-options"] == "DENY")
        #expect(!signInPage.text.contains("<script"))
        let nonceCookie = try #require(signInPage.headers.values("set-cookie").first)
        #expect(nonceCookie.contains("HttpOnly") && nonceCookie.contains("SameSite=Strict") && !nonceCookie.contains("Secure"))

        #expect(try await browser.signIn(token: "gwa_wrong").status == 401)
        #expect(browser.cookies["wgc_session"] == nil)
        let forged = try await browser.request("POST", "/admin/console/sign-in", form: [("csrf", "forged"), ("token", admin.token)])
        #expect(forged.status == 403 && browser.cookies["wgc_session"] == nil)

        let signedIn = try await browser.signIn()
        #expect(signedIn.status == 303 && signedIn.headers["location"] == "/admin/console/audit")
        let sessionCookie = try #require(signedIn.headers.values("set-cookie").first { $0.hasPrefix("wgc_session=") })
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/admin/console", "Max-Age=1800"] { #expect(sessionCookie.contains(flag), "\(flag)") }
        #expect(!sessionCookie.contains("Secure"), "plain HTTP listener: no Secure flag")

        let page = try await browser.request("GET", "/admin/console/audit?action=admin.*")
        #expect(page.status == 200)
        #expect(page.headers["content-security-policy"] == Self.policy)
        #expect(page.text.contains("<h1>Audit log</h1>") && page.text.contains("admin.console.sign_in"))
        let css = try await browser.request("GET", "/admin/console/console.css")
        #expect(css.status == 200 && css.headers["content-type"] == "text/css; charset=utf-8")

        let signIns = try await rows(admin, action: "admin.console.sign_in")
        #expect(signIns.count == 1 && signIns[0].actor == "admin:ops")
        let views = try await rows(admin, action: "admin.audit.view")
        #expect(views.count == 1 && views[0].actor == "admin:ops" && views[0].httpStatus == 200)

        let signOutForm = try #require(Browser.csrf(page.text))
        #expect(try await browser.request("POST", "/admin/console/sign-out", form: [("csrf", signOutForm)]).status == 303)
        #expect(try await browser.request("GET", "/admin/console/audit").status == 303, "the session is gone server-side")
        await admin.shutdown()
    }

    @Test func postsWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let admin = try await AdminAPITests.Admin()
        let browser = Browser(admin)
        _ = try await browser.signIn()
        let chain = try await browser.request("GET", "/admin/console/chain")
        #expect(chain.text.contains("Not verified from this console"))
        let token = try #require(Browser.csrf(chain.text))
        #expect(try await browser.request("POST", "/admin/console/chain/verify", form: []).status == 403)
        #expect(try await browser.request("POST", "/admin/console/chain/verify", form: [("csrf", (token.first == "a" ? "b" : "a") + token.dropFirst())]).status == 403)
        let refused = try await rows(admin, action: "admin.audit.verify")
        #expect(refused.count == 2 && refused.allSatisfy { $0.httpStatus == 403 && $0.outcome == "failure" })
        let verified = try await browser.request("POST", "/admin/console/chain/verify", form: [("csrf", token)])
        #expect(verified.status == 303 && verified.headers["location"] == "/admin/console/chain")
        try await admin.gateway.services.audit.append(AuditCheckpointTests.entry(1))
        #expect(try await browser.request("POST", "/admin/console/chain/checkpoint", form: [("csrf", token)]).status == 303)
        let after = try await browser.request("GET", "/admin/console/chain")
        #expect(after.text.contains("Verified up to seq"))
        #expect(after.text.contains("\u{2014} weavr-gateway/audit "), "the latest signed note is shown")
        // A POST without any session is refused too.
        let stranger = Browser(admin)
        #expect(try await stranger.request("POST", "/admin/console/chain/verify", form: [("csrf", token)]).status == 401)
        await admin.shutdown()
    }

    @Test func auditValuesAreEscapedAndTheCardTimelineIsFilteredAndAudited() async throws {
        let admin = try await AdminAPITests.Admin()
        let hostile = "<script>alert(1)</script>"
        try await admin.gateway.services.audit.append([
            AuditEntry(tenant: "acme", actor: hostile, action: .cardBlock, target: "card-1", outcome: .success, userAgent: "x"),
            AuditEntry(tenant: "acme", actor: "user-2", action: .cardUnblock, target: "card-1\"><img src=x>", outcome: .failure),
            AuditEntry(tenant: "acme", actor: "user-3", action: .cardDestroy, target: "card-2", outcome: .success),
        ])
        let browser = Browser(admin)
        _ = try await browser.signIn()
        let all = try await browser.request("GET", "/admin/console/audit?tenant=acme")
        #expect(!all.text.contains(hostile) && all.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!all.text.contains("<img") && all.text.contains("card-1&quot;&gt;&lt;img src=x&gt;"))
        let timeline = try await browser.request("GET", "/admin/console/cards/card-1")
        #expect(timeline.status == 200 && timeline.text.contains("<h1>Card card-1</h1>"))
        #expect(timeline.text.contains("<td>card.block</td>") && !timeline.text.contains("<td>card.destroy</td>") && !timeline.text.contains("<td>card.unblock</td>"))
        let actor = try await browser.request("GET", "/admin/console/actors/user-3")
        #expect(actor.text.contains("<td>card.destroy</td>") && !actor.text.contains("<td>card.block</td>"))
        let views = try await rows(admin, action: "admin.audit.view")
        #expect(views.map(\.target) == [nil, "card-1", "user-3"])
        let bad = try await browser.request("GET", "/admin/console/audit?outcome=maybe&since=yesterday")
        #expect(bad.status == 422 && bad.text.contains("outcome must be one of"))
        await admin.shutdown()
    }

    @Test func exportsStreamTheCurrentFilterAndAreAudited() async throws {
        let admin = try await AdminAPITests.Admin()
        try await admin.gateway.services.audit.append([
            AuditEntry(tenant: "acme", actor: "user-1", action: .cardBlock, target: "card-1", outcome: .success),
            AuditEntry(tenant: "acme", actor: "=cmd", action: .cardUnblock, target: "card-1", outcome: .success),
            AuditEntry(tenant: "acme", actor: "user-3", action: .cardDestroy, target: "card-2", outcome: .success),
        ])
        let browser = Browser(admin)
        #expect(try await browser.request("GET", "/admin/console/export?format=csv").status == 303, "no session, no export")
        _ = try await browser.signIn()
        let timeline = try await browser.request("GET", "/admin/console/cards/card-1")
        #expect(timeline.text.contains("/admin/console/export?target=card-1&amp;format=csv"))
        // The timeline view itself is a row with target card-1 (who looked at the card); the card's own rows:
        let csv = try await browser.request("GET", "/admin/console/export?target=card-1&action=card.*&format=csv")
        #expect(csv.status == 200 && csv.headers["content-type"] == "text/csv; charset=utf-8")
        #expect(csv.headers["content-disposition"] == "attachment; filename=\"audit.csv\"")
        let lines = csv.text.split(separator: "\r\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("seq,time,tenant"), "\(csv.text)")
        #expect(lines[2].contains(",'=cmd,"), "formula neutralised as in the admin API's export")
        let ndjson = try await browser.request("GET", "/admin/console/export?target=card-1&action=card.*&format=ndjson")
        #expect(ndjson.headers["content-type"] == "application/x-ndjson")
        let records = try AuditExportVerification.parse(ndjson.body)
        #expect(records.map(\.target) == ["card-1", "card-1"] && records.allSatisfy { $0.computedHash == $0.hash })
        #expect(try await browser.request("GET", "/admin/console/export?format=xml").status == 422)
        let exports = try await rows(admin, action: "admin.audit.export")
        #expect(exports.map(\.httpStatus) == [200, 200, 422])
        await admin.shutdown()
    }

    @Test func tenantsShowQuotaChartsAndLiveSessionsCanBeRevoked() async throws {
        let admin = try await AdminAPITests.Admin()
        let token = try await admin.gateway.login()
        #expect(try await admin.gateway.call("GET", "/v1/cards", token: token).status == 200)
        let browser = Browser(admin)
        _ = try await browser.signIn()
        let page = try await browser.request("GET", "/admin/console/tenants")
        #expect(page.status == 200)
        #expect(page.text.contains("<svg class=\"chart\"") && page.text.contains("Counted operations per day, last 30 days"))
        #expect(page.text.contains("Live sessions (1)"))
        guard let range = page.text.range(of: "action=\"/admin/console/tenants/acme/sessions/") else {
            Issue.record("no revoke form for acme's session")
            return
        }
        let action = String(page.text[page.text.index(range.lowerBound, offsetBy: 8)...].prefix { $0 != "\"" })
        let csrf = try #require(Browser.csrf(page.text))
        #expect(try await browser.request("POST", action, form: [("csrf", csrf)]).status == 303)
        #expect(try await admin.gateway.call("GET", "/v1/cards", token: token).status == 401)
        #expect(try await rows(admin, action: "admin.session.revoke").count == 1)
        await admin.shutdown()
    }

    @Test func consoleSessionsExpireAndEndWhenTheAdminsTokenIsRemoved() async throws {
        let clock = ManualWallClock.sameDayForHours()
        try await withGateway(clock: clock) { gateway in
            let (token, line) = try AdminTokens.generate(name: "ops")
            let source = AdminTokenSource(try AdminTokens(configuration: line))
            var configuration = HTTPServer.Configuration()
            configuration.port = 0
            let server = try HTTPServer(configuration: configuration, group: gateway.group,
                                        responder: AdminAPI(services: gateway.services, tokenSource: source).makeRouter())
            try server.start()
            let browser = Browser(gateway: gateway, port: Int(server.localAddress!.port), token: token)
            #expect(try await browser.signIn().status == 303)
            #expect(try await browser.request("GET", "/admin/console/audit").status == 200)
            clock.advance(by: 30 * 60 * 1000 - 1)
            #expect(try await browser.request("GET", "/admin/console/audit").status == 200)
            clock.advance(by: 1)
            #expect(try await browser.request("GET", "/admin/console/audit").status == 303, "30 minutes after sign-in the session is over")
            #expect(try await browser.signIn().status == 303)
            #expect(try await browser.request("GET", "/admin/console/tenants").status == 200)
            let (_, other) = try AdminTokens.generate(name: "someone-else")
            source.replace(with: try AdminTokens(configuration: other))
            #expect(try await browser.request("GET", "/admin/console/tenants").status == 303, "ops's token was removed")
            await server.shutdown(gracePeriod: .seconds(1))
        }
    }
}
