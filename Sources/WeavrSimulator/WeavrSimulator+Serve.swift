import Foundation
import GatewayCore
import NIOFreeHTTP

extension WeavrSimulator {
    /// Runs `route` for `request` on the state and turns the reply into an HTTP response.
    func serve(_ route: SimulatorRoute, request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse {
        var pathParameters: [String: String] = [:]
        for name in WeavrSimulator.parameterNames(of: route.pattern) {
            pathParameters[name] = request.pathParameters[name]
        }
        let call = SimulatorCall(
            method: request.method, path: request.path, pathParameters: pathParameters,
            query: WeavrSimulator.parseQuery(request.query), body: request.body, apiKey: request.headers["api-key"] ?? "",
            token: nil, principal: nil, now: clock.nowMilliseconds(), accept: request.headers["accept"]
        )
        let bearer = WeavrSimulator.bearerToken(request.headers["authorization"])
        let idempotencyRef = request.headers["idempotency-ref"]
        let reply = state.withLock { $0.handle(route, call: call, bearer: bearer, idempotencyRef: idempotencyRef) }
        if let bulkID = reply.bulkToRun {
            startBulkRunner(bulkID: bulkID, generation: reply.bulkGeneration, loop: context.eventLoop)
        }
        return WeavrSimulator.response(reply)
    }

    /// The HTTP response of a reply: its status, headers and JSON body.
    static func response(_ reply: SimulatorReply) -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in reply.headers.sorted(by: { $0.key < $1.key }) { headers.add(name, value) }
        if !reply.body.isEmpty && reply.headers["content-type"] == nil { headers.add("content-type", "application/json") }
        return HTTPResponse(status: reply.status, headers: headers, body: reply.body)
    }

    static func parameterNames(of pattern: String) -> [String] {
        pattern.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Every value per name, percent-decoded ("+" is a space).
    static func parseQuery(_ query: String?) -> [String: [String]] {
        guard let query else { return [:] }
        var result: [String: [String]] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in PercentDecoding.decode(text) }
            guard let name = decode(parts[0]) else { continue }
            let value = parts.count > 1 ? (decode(parts[1]) ?? "") : ""
            result[name, default: []].append(value)
        }
        return result
    }
}
