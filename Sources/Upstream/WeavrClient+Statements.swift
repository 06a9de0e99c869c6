public import NIOFreeHTTP

/// A statement file as Weavr streams it (CSV or PDF): the body is read chunk by chunk, never held whole.
public struct WeavrStatementFile: Sendable {
    /// `text/csv` or `application/pdf`, as asked.
    public let contentType: String
    public let requestRef: String?
    public let body: HTTPClientBodyStream
}

extension WeavrClient {
    /// The file formats of a statement (Weavr's `accept` values besides JSON).
    public enum StatementFileFormat: String, Sendable {
        case csv = "text/csv"
        case pdf = "application/pdf"
    }

    /// `GET /{managed_cards|managed_accounts}/{id}/statement` as JSON (`limit` 1–500).
    public func statement(
        token: String, of instrument: InstrumentRef, filter: StatementFilter = StatementFilter(), offset: Int? = nil, limit: Int? = nil,
        requestID: String? = nil
    ) async throws(WeavrError) -> WeavrResult<Statement> {
        try await perform(statementCall(token: token, of: instrument, filter: filter, offset: offset, limit: limit, requestID: requestID), as: Statement.self)
    }

    /// The same statement as a CSV or PDF file, streamed: returns once Weavr's head arrives. One attempt (a
    /// stream is not retried), through the circuit breaker; the whole exchange within `configuration.overallTimeout`.
    /// A Weavr error (its body read up to 64 KiB) is thrown as `WeavrError`; a 2xx of another content type is
    /// `invalidResponse`. Read `body` to its end or cancel it.
    public func statementFile(
        token: String, of instrument: InstrumentRef, format: StatementFileFormat, filter: StatementFilter = StatementFilter(),
        offset: Int? = nil, limit: Int? = nil, requestID: String? = nil
    ) async throws(WeavrError) -> WeavrStatementFile {
        var request = makeRequest(statementCall(token: token, of: instrument, filter: filter, offset: offset, limit: limit, requestID: requestID))
        request.headers.replaceOrAdd("accept", format.rawValue)
        guard let permit = circuitBreaker.acquire() else {
            throw WeavrError(.unavailable(WeavrError.circuitOpenReason), retryAfter: circuitBreaker.remainingCoolDown)
        }
        let response: HTTPClientStreamingResponse
        do {
            response = try await http.stream(request, timeout: configuration.overallTimeout)
        } catch {
            let failure = WeavrError(transport: error)
            circuitBreaker.record(permit, failed: failure.countsAsUpstreamFailure)
            throw failure
        }
        let requestRef = WeavrVetting.requestRef(response.headers["request-ref"])
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body.collect(upTo: 64 * 1024)) ?? []
            let failure = WeavrError(response: HTTPClientResponse(status: response.status, headers: response.headers, body: body))
            circuitBreaker.record(permit, failed: failure.countsAsUpstreamFailure)
            throw failure
        }
        circuitBreaker.record(permit, failed: false)
        let contentType = response.headers["content-type"]?.split(separator: ";").first.map { String($0).lowercased() }
        guard contentType == format.rawValue else {
            response.body.cancel()
            throw WeavrError(.invalidResponse("statement is not \(format.rawValue)"), status: response.status, requestRef: requestRef)
        }
        return WeavrStatementFile(contentType: format.rawValue, requestRef: requestRef, body: response.body)
    }

    private func statementCall(
        token: String, of instrument: InstrumentRef, filter: StatementFilter, offset: Int?, limit: Int?, requestID: String?
    ) -> Call {
        Call(
            method: "GET", path: "/\(instrument.type.rawValue)/\(WeavrClient.segment(instrument.id))/statement",
            query: filter.queryItems + WeavrClient.paging(offset, limit), token: token, requestID: requestID
        )
    }
}
