import Foundation
public import NIOFreeHTTP

extension WeavrError {
    /// Maps a non-2xx Weavr answer onto its kind, reading whichever of Weavr's error shapes the body has.
    public init(response: HTTPClientResponse) {
        // Only vetted values leave this initializer (`WeavrVetting`): codes of a strict grammar, field names
        // as paths, never free text, never `params`.
        let requestRef = WeavrVetting.requestRef(response.headers["request-ref"])
        let body = WeavrErrorBody.decode(response.body)
        let kind: Kind
        switch response.status {
        case 400:
            kind = .badRequest(invalidFields: (body?.syntaxErrors?.invalidFields ?? []).prefix(200).map(WeavrVetting.invalidField))
        case 401:
            kind = .unauthorized
        case 403:
            kind = .forbidden(code: WeavrVetting.code(body?.errorCode) ?? WeavrVetting.code(body?.message))
        case 404, 410:
            kind = .notFound(code: WeavrVetting.code(body?.errorCode) ?? WeavrVetting.code(body?.code))
        case 409:
            kind = .conflict(code: WeavrVetting.code(body?.errorCode) ?? WeavrVetting.code(body?.code))
        case 423:
            kind = .locked
        case 429:
            // Seconds until Weavr's window resets; a value outside 0…3600 is not believed (it would become Retry-After).
            let reset = response.headers["x-ratelimit-reset"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            kind = .rateLimited(retryAfterSeconds: reset.flatMap { (0...3600).contains($0) ? $0 : nil })
        case 500...599:
            kind = .serverError(status: response.status)
        default:
            kind = .invalidResponse("unexpected status \(response.status)")
        }
        self.init(kind, status: response.status, requestRef: requestRef)
    }

    /// Maps a transport failure of `HTTPClient`.
    public init(transport error: HTTPClientError) {
        switch error {
        case .timeout: self.init(.timeout)
        case .connectTimeout: self.init(.unavailable("connect timeout"))
        case .connectFailed: self.init(.unavailable("connect failed"))
        case .connectionClosed: self.init(.unavailable("connection closed"))
        case .tlsFailure: self.init(.unavailable("TLS failure"))
        case .poolExhausted: self.init(.unavailable("connection pool exhausted"))
        case .shutdown: self.init(.unavailable("client shut down"))
        case .invalidURL: self.init(.unavailable("invalid base URL"))
        case .invalidResponse: self.init(.invalidResponse("malformed HTTP response"))
        case .responseTooLarge: self.init(.invalidResponse("response too large"))
        }
    }
}
