import Foundation
public import NIOFreeHTTP

/// The typed client of the Weavr Multi API for one programme (api-key) at one base URL.
///
/// Every call sends `api-key`, a bearer token where Weavr requires one, `idempotency-ref` only on the
/// operations whose spec declares it, and the caller's request id; it runs under a per-attempt and an
/// overall deadline, retries only what is safe to repeat (`RetryPolicy`), and goes through the base
/// URL's `CircuitBreaker`. Results carry Weavr's `request-ref`; failures are one typed `WeavrError`.
public final class WeavrClient: Sendable {
    /// The Weavr base URL without a trailing slash, e.g. `https://sandbox.weavr.io/multi`.
    public let baseURL: String
    public let configuration: Configuration
    /// The breaker this client reports to (shared per base URL when built from a `CircuitBreakerRegistry`).
    public let circuitBreaker: CircuitBreaker
    private let apiKey: String
    let http: HTTPClient
    /// The base URL parsed once (nil if it does not parse: each request then fails as the URL does).
    private let endpoint: HTTPClientRequest.Endpoint?

    /// Creates a client; `circuitBreaker` defaults to a new one owned by this client.
    public init(
        baseURL: String, apiKey: String, http: HTTPClient, configuration: Configuration = Configuration(),
        circuitBreaker: CircuitBreaker? = nil
    ) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        endpoint = HTTPClientRequest.Endpoint(baseURL: base)
        self.apiKey = apiKey
        self.http = http
        self.configuration = configuration
        self.circuitBreaker = circuitBreaker ?? CircuitBreaker()
    }

    /// One Weavr operation as it goes on the wire.
    struct Call {
        var method: String
        var path: String
        var query: [(String, String)] = []
        var token: String?
        var body: [UInt8]?
        var idempotencyRef: String?
        var requestID: String?
        /// The metrics label (`WeavrCallObservation.operation`) when the caller knows it; else derived from
        /// `method` and `path` per attempt.
        var operation: String?

        /// GETs and calls with an idempotency-ref may be repeated.
        var isRepeatable: Bool { method == "GET" || !(idempotencyRef ?? "").isEmpty }
    }

    /// Runs `call` and decodes a 2xx body as `Value` with `JSONDecoder` (`WeavrEmpty` accepts any or no body).
    func perform<Value: Decodable & Sendable>(_ call: Call, as type: Value.Type) async throws(WeavrError) -> WeavrResult<Value> {
        try await perform(call) { body in
            if Value.self == WeavrEmpty.self, let empty = WeavrEmpty() as? Value { return empty }
            return try JSONDecoder().decode(Value.self, from: Data(body))
        }
    }

    /// `perform` for the types that read themselves (`WeavrJSONDecodable`: the hot responses, a card and a page of
    /// cards), chosen at compile time: decoded by `WeavrJSON` straight into the result, without Foundation.
    func perform<Value: WeavrJSONDecodable & Decodable & Sendable>(_ call: Call, as type: Value.Type) async throws(WeavrError) -> WeavrResult<Value> {
        try await perform(call) { body in try WeavrJSON.decode(Value.self, from: body) }
    }

    /// Runs `call` and decodes its 2xx body with `decode`; a body that does not decode is `.invalidResponse`.
    private func perform<Value: Sendable>(_ call: Call, decode: ([UInt8]) throws -> Value) async throws(WeavrError) -> WeavrResult<Value> {
        let response = try await execute(call)
        let requestRef = WeavrVetting.requestRef(response.headers["request-ref"])
        do {
            return WeavrResult(value: try decode(response.body), requestRef: requestRef, status: response.status)
        } catch {
            throw WeavrError(.invalidResponse("body is not the expected JSON"), status: response.status, requestRef: requestRef)
        }
    }

    /// Sends `call` with retries and the circuit breaker; returns the first 2xx response.
    func execute(_ call: Call) async throws(WeavrError) -> HTTPClientResponse {
        let request = makeRequest(call)
        let start = ContinuousClock.now
        let overallDeadline = start + configuration.overallTimeout
        var retry = 0
        var previousFailure: WeavrError?
        // The time this attempt starts: `start` for the first, read again after each pause.
        var attemptStart = start
        while true {
            let remaining = overallDeadline - attemptStart
            guard remaining > .zero else { throw WeavrError(.timeout) }
            guard let permit = circuitBreaker.acquire() else {
                let refused = WeavrError(.unavailable(WeavrError.circuitOpenReason), retryAfter: circuitBreaker.remainingCoolDown)
                observe(call, refused, since: ContinuousClock.now)
                // A retry refused because the circuit opened meanwhile (perhaps on this call's own failure) ends
                // with what Weavr did: a timeout stays a timeout.
                throw previousFailure ?? refused
            }
            let failure: WeavrError
            do {
                let response = try await http.execute(request, timeout: min(configuration.attemptTimeout, remaining))
                if (200..<300).contains(response.status) {
                    circuitBreaker.record(permit, failed: false)
                    observe(call, nil, status: response.status, since: attemptStart)
                    return response
                }
                failure = WeavrError(response: response)
            } catch {
                failure = WeavrError(transport: error)
            }
            circuitBreaker.record(permit, failed: failure.countsAsUpstreamFailure)
            observe(call, failure, status: failure.status, since: attemptStart)
            previousFailure = failure
            guard let pause = configuration.retry.delay(after: failure, retry: retry, isRepeatable: call.isRepeatable),
                  ContinuousClock.now + pause < overallDeadline
            else { throw failure }
            retry += 1
            do {
                try await Task.sleep(for: pause)
            } catch {
                throw failure
            }
            attemptStart = ContinuousClock.now
        }
    }

    /// Reports one attempt to `configuration.observer`.
    private func observe(_ call: Call, _ failure: WeavrError?, status: Int? = nil, since start: ContinuousClock.Instant) {
        guard let observer = configuration.observer else { return }
        observer(WeavrCallObservation(
            operation: call.operation ?? WeavrCallObservation.operationLabel(method: call.method, path: call.path),
            outcome: failure.map(WeavrCallObservation.outcome(of:)) ?? "ok",
            status: status, duration: ContinuousClock.now - start
        ))
    }

    func makeRequest(_ call: Call) -> HTTPClientRequest {
        var path = call.path
        if !call.query.isEmpty {
            path += "?" + call.query.map { "\(WeavrClient.percentEncode($0.0))=\(WeavrClient.percentEncode($0.1))" }.joined(separator: "&")
        }
        var headers = HTTPHeaders()
        headers.add("api-key", apiKey)
        headers.add("accept", "application/json")
        if let token = call.token { headers.add("authorization", "Bearer \(token)") }
        if let ref = call.idempotencyRef, !ref.isEmpty { headers.add("idempotency-ref", ref) }
        if let requestID = call.requestID, !requestID.isEmpty { headers.add(configuration.requestIDHeader, requestID) }
        if call.body != nil { headers.add("content-type", "application/json") }
        var request = endpoint.map { HTTPClientRequest(method: call.method, endpoint: $0, path: path, headers: headers, body: call.body) }
            ?? HTTPClientRequest(method: call.method, url: baseURL + path, headers: headers, body: call.body)
        // The client's own stale-connection resend follows the same rule as our retries.
        request.isIdempotent = call.isRepeatable
        return request
    }

    /// JSON for a request body. Encoding plain `Codable` wire types cannot fail.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(value))) ?? Array("{}".utf8)
    }

    /// RFC 3986 unreserved characters pass; everything else is percent-encoded.
    static func percentEncode(_ text: String) -> String {
        // Ids are digits: nothing to encode, no copy.
        if text.utf8.allSatisfy({ isUnreserved($0) }) { return text }
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: true
        default: false
        }
    }

    /// A path segment from a caller-supplied id (ids are numeric at Weavr; anything else is encoded).
    static func segment(_ id: String) -> String {
        percentEncode(id)
    }
}

extension String {
    fileprivate var leftPadded: String { count < 2 ? "0" + self : self }
}
