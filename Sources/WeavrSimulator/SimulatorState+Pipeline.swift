extension SimulatorState {
    static let idempotencyConflictCode = "IDEMPOTENCY_REF_CONFLICT"

    /// Runs one request through api-key check, rate limit, token check, idempotency and the action.
    mutating func handle(_ route: SimulatorRoute, call input: SimulatorCall, bearer: String?, idempotencyRef: String?) -> SimulatorReply {
        var call = input
        guard cardProfiles[call.apiKey] != nil else { return .unauthorized }
        if let limited = checkRateLimit(apiKey: call.apiKey, now: call.now) { return limited }
        switch route.access {
        case .apiKey:
            break
        case .accessToken(let instrument):
            guard case .valid(let session) = checkToken(bearer, apiKey: call.apiKey, now: call.now) else { return .unauthorized }
            if session.tokenType != "ACCESS" {
                return instrument ? .errorCode(403, "ACCESS_TOKEN_REQUIRED") : .unauthorized
            }
            call.token = session.token
            call.principal = SimulatorPrincipal(apiKey: call.apiKey, userID: session.userID, identityID: session.identityID, steppedUp: session.steppedUp)
        case .anyToken, .optionalToken:
            if case .valid(let session) = checkToken(bearer, apiKey: call.apiKey, now: call.now) {
                call.token = session.token
                call.principal = SimulatorPrincipal(apiKey: call.apiKey, userID: session.userID, identityID: session.identityID, steppedUp: session.steppedUp)
            } else if case .anyToken = route.access {
                return .unauthorized
            }
        }
        guard route.idempotent, let idempotencyRef, !idempotencyRef.isEmpty else {
            return route.action(&self, call)
        }
        let key = "\(call.apiKey)|\(call.principal?.identityID ?? "-")|\(idempotencyRef)"
        let operation = "\(call.method) \(call.path)"
        let payload = JSONBody.canonical(call.body)
        if let record = idempotency[key] {
            if call.now - record.storedAt <= configuration.idempotencyRetention.milliseconds {
                // Same ref + same operation + same payload: replay; anything else reusing the ref: 409.
                guard record.operation == operation, record.payload == payload else { return .errorCode(409, SimulatorState.idempotencyConflictCode) }
                return record.reply
            }
            idempotency[key] = nil
        }
        let reply = route.action(&self, call)
        if reply.status < 500 {
            var stored = reply
            stored.bulkToRun = nil
            idempotency[key] = IdempotencyRecord(operation: operation, payload: payload, reply: stored, storedAt: call.now)
        }
        return reply
    }

    /// Weavr-style fixed one-minute window per api-key; nil when the request may pass.
    mutating func checkRateLimit(apiKey: String, now: Int64) -> SimulatorReply? {
        guard let limit = configuration.rateLimitPerMinute else { return nil }
        var window = rateWindows[apiKey] ?? (start: now, count: 0)
        if now - window.start >= 60_000 { window = (start: now, count: 0) }
        window.count += 1
        rateWindows[apiKey] = window
        guard window.count > limit else { return nil }
        let reset = max(0, (window.start + 60_000 - now + 999) / 1000)
        return SimulatorState.tooManyRequests(limit: limit, resetSeconds: reset)
    }

    /// 429 with no body and Weavr's `x-ratelimit-limit` / `x-ratelimit-reset` headers.
    static func tooManyRequests(limit: Int, resetSeconds: Int64) -> SimulatorReply {
        SimulatorReply(status: 429, headers: ["x-ratelimit-limit": "\(limit), \(limit);w=60", "x-ratelimit-reset": String(resetSeconds)])
    }

    /// The fault for `method` + route `pattern`: exact match first, then `*` method, then `*` path.
    func fault(method: String, pattern: String) -> SimulatorFault? {
        faults[SimulatorState.faultKey(method, pattern)] ?? faults[SimulatorState.faultKey("*", pattern)]
            ?? faults[SimulatorState.faultKey(method, "*")] ?? faults[SimulatorState.faultKey("*", "*")]
    }

    static func faultKey(_ method: String, _ pattern: String) -> String {
        "\(method.uppercased()) \(pattern)"
    }

    /// Remembers a request (secrets redacted), keeping the last `capturedRequestLimit`.
    mutating func capture(method: String, path: String, query: String?, route: String?, headers: [[String]], body: [UInt8], now: Int64) {
        guard configuration.capturedRequestLimit > 0 else { return }
        captureSequence += 1
        let redactedHeaders = headers.map { pair -> [String] in
            let name = pair[0].lowercased()
            return name == "api-key" || name == "authorization" || name == "cookie" ? [pair[0], "<redacted>"] : pair
        }
        captured.append(CapturedRequest(
            sequence: captureSequence, method: method, path: path, query: query, route: route, headers: redactedHeaders,
            body: SimulatorState.redactedBody(body), receivedAt: now
        ))
        if captured.count > configuration.capturedRequestLimit {
            captured.removeFirst(captured.count - configuration.capturedRequestLimit)
        }
    }

    /// The body as text with every `"password": {"value": …}` (and a physical card's `"pin": {"value": …}`)
    /// value replaced by `"<redacted>"`.
    static func redactedBody(_ body: [UInt8]) -> String {
        guard let object = JSONBody.decode(body) else { return String(decoding: body, as: UTF8.self) }
        func redact(_ value: Any) -> Any {
            if var dictionary = value as? [String: Any] {
                for (key, inner) in dictionary {
                    if key == "password" || key == "newPassword" || key == "oldPassword" || key == "pin" {
                        if var secret = inner as? [String: Any] {
                            if secret["value"] != nil { secret["value"] = "<redacted>" }
                            dictionary[key] = secret
                        } else {
                            dictionary[key] = "<redacted>"
                        }
                    } else {
                        dictionary[key] = redact(inner)
                    }
                }
                return dictionary
            }
            if let array = value as? [Any] { return array.map(redact) }
            return value
        }
        return JSONBody.text(redact(object))
    }
}
