import Auth
import Foundation
import Gateway
import NIOFreeHTTP
import Synchronization
import Testing
import Upstream

/// A Weavr that logs anyone in and then answers every call with one status and an error body that carries
/// secrets in every field Weavr's error shapes have (and in `request-ref`): nothing of it may reach a
/// client, the access log or the audit rows.
final class HostileWeavr: HTTPResponder, @unchecked Sendable {
    static let secrets = [
        "4000123412341234",            // a PAN
        "sk-live-9f8e7d6c5b4a",        // an api-key
        "eyJhbGciOiJIUzI1NiJ9.stolen", // a token
        "hunter2-password",
        "<script>alert(1)</script>",
    ]
    let status = Mutex(403)

    func respond(to request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse {
        if request.path == "/login_with_password" {
            return .json(200, #"{"token":"weavr-token-1","tokenType":"ACCESS","identity":{"type":"CORPORATE","id":"100"},"credentials":{"type":"ROOT","id":"101"}}"#)
        }
        let secrets = Self.secrets
        let body: [String: Any] = [
            "errorCode": "card " + secrets[0] + " blocked",
            "code": secrets[1],
            "message": "token " + secrets[2] + " password " + secrets[3],
            "syntaxErrors": ["invalidFields": [
                ["fieldName": secrets[0], "error": secrets[4], "params": [secrets[1], secrets[2]]],
                ["fieldName": "friendlyName", "error": "api key " + secrets[1], "params": [secrets[3]]],
                ["fieldName": "tag " + secrets[2], "error": "REGEX", "params": []],
            ]],
        ]
        var headers = HTTPHeaders()
        headers.add("request-ref", "ref " + secrets[2])
        headers.add("x-ratelimit-reset", secrets[0])
        let bytes = Array(try JSONSerialization.data(withJSONObject: body))
        return HTTPResponse(status: status.withLock { $0 }, headers: headers, body: bytes)
    }
}

@Suite("Upstream errors never leak")
struct UpstreamErrorLeakTests {
    @Test func secretsInEveryWeavrErrorFieldNeverReachTheClientTheLogOrTheAuditLog() async throws {
        try await withGateway() { gateway async throws in
            let hostile = HostileWeavr()
            var configuration = HTTPServer.Configuration()
            configuration.port = 0
            let fake = try HTTPServer(configuration: configuration, group: gateway.group, responder: hostile)
            try fake.start()
            _ = try await gateway.services.tenants.create(
                Tenant(id: "hostile", name: "Hostile", weavrBaseURL: "http://127.0.0.1:\(fake.localAddress!.port)",
                       cardProfiles: .init(prepaid: ["EUR": "1"])),
                weavrAPIKey: "hostile-api-key"
            )
            var seen: [String] = []
            // One session per status, all made first: the 5xx answers open the circuit breaker, and a 401 ends a session.
            let statuses = [400, 401, 403, 404, 409, 410, 418, 423, 429, 500, 502, 503]
            var tokens: [Int: String] = [:]
            for status in statuses {
                tokens[status] = try await gateway.login(tenant: "hostile", email: "eve\(status)@example.com", password: "x")
            }
            for status in statuses {
                hostile.status.withLock { $0 = status }
                let token = tokens[status]!
                let replies = [
                    try await gateway.call("GET", "/v1/cards/100000000000000001", token: token),
                    try await gateway.call("POST", "/v1/cards/100000000000000001/block", token: token, json: ["reason": "lost"]),
                    try await gateway.call("PATCH", "/v1/cards/100000000000000001", token: token, json: ["name": "x"]),
                    try await gateway.call("POST", "/v1/cards", token: token, json: [
                        "name": "n", "nameOnCard": "N", "currency": "EUR",
                        "billingAddress": ["line1": "1 Main St", "city": "Valletta", "postCode": "VLT1", "country": "MT"],
                    ]),
                    try await gateway.call("GET", "/v1/cards", token: token),
                    try await gateway.call("POST", "/v1/users/100/invite", token: token),
                    try await gateway.call("POST", "/v1/auth/step-up", token: token),
                ]
                for reply in replies {
                    #expect(reply.status >= 400, "status \(status) became \(reply.status)")
                    if let upstreamCode = reply.json["upstreamCode"] as? String {
                        #expect(upstreamCode.range(of: #"^[A-Z][A-Z0-9_]{0,63}$"#, options: .regularExpression) != nil)
                    }
                    for field in reply.json["invalidFields"] as? [[String: Any]] ?? [] {
                        #expect(["name", "body"].contains(field["name"] as? String), "field \(field)")
                    }
                    seen.append(reply.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n" + reply.text)
                }
            }
            let everything = seen.joined(separator: "\n") + gateway.accessLog.all
            let database = gateway.databaseBytes()
            for secret in HostileWeavr.secrets {
                #expect(!everything.contains(secret), "\(secret) reached a client or the access log")
                #expect(!database.contains(bytes: Array(secret.utf8)), "\(secret) reached the database")
            }
            await fake.shutdown(gracePeriod: .seconds(1))
        }
    }

    @Test(arguments: [
        ("STEP_UP_REQUIRED", "STEP_UP_REQUIRED"), ("INSTRUMENT_ALREADY_BLOCKED", "INSTRUMENT_ALREADY_BLOCKED"),
        ("step_up_required", nil), ("A" + String(repeating: "B", count: 64), nil), ("CARD 4000", nil), ("", nil),
        ("1ABC", nil), ("ABC-DEF", nil),
    ] as [(String, String?)])
    func onlyCodesOfTheStrictGrammarPass(code: String, expected: String?) {
        #expect(WeavrVetting.code(code) == expected)
    }
}
