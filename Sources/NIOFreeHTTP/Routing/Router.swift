import GatewayCore

/// Matches method + path to a handler. Patterns are literal segments and `{name}` parameters
/// (`/v1/cards/{id}/block`). Unknown paths → 404, known path with another method → 405 with `Allow`.
///
/// Build it with `add` (a handler may run its own steps around the route: the gateway's `/v1` pipeline),
/// then use it as the server's responder. Global middlewares run for every request, after the route is matched (so they see
/// `context.route`), including 404 and 405 answers. A thrown `HTTPResponseError` becomes its response.
public struct Router: HTTPResponder {
    /// A route handler.
    public typealias Handler = @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse

    private struct Node: Sendable {
        var literals: [String: Node] = [:]
        var parameterName: String?
        var parameter: [Node] = []  // zero or one child: arrays let a struct hold itself
        var handlers: [String: Handler] = [:]
        var pattern: String?
    }

    private var root = Node()
    private var middlewares: [any HTTPMiddleware]
    /// Renders the router's own 404 and 405 and the server's refusals (`HTTPResponder.problemResponse`).
    /// Default: `HTTPServerProblem.response`.
    public var problemRenderer: @Sendable (HTTPServerProblem) -> HTTPResponse = { $0.response }
    /// Every registered (method, pattern) pair, in registration order.
    public private(set) var routes: [(method: String, pattern: String)] = []

    public init(middlewares: [any HTTPMiddleware] = []) {
        self.middlewares = middlewares
    }

    /// Adds a global middleware (runs in the order added).
    public mutating func use(_ middleware: any HTTPMiddleware) {
        middlewares.append(middleware)
    }

    /// Registers `handler` for `method` and `pattern`. Registering the same pair twice is a programming error.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let segments = Router.segments(of: pattern)
        Router.insert(&root, segments[...], method: method, pattern: pattern, handler: handler)
        routes.append((method, pattern))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add("GET", pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { add("POST", pattern, handler) }
    public mutating func patch(_ pattern: String, _ handler: @escaping Handler) { add("PATCH", pattern, handler) }
    public mutating func put(_ pattern: String, _ handler: @escaping Handler) { add("PUT", pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping Handler) { add("DELETE", pattern, handler) }

    private static func insert(_ node: inout Node, _ segments: ArraySlice<Substring>, method: String, pattern: String, handler: @escaping Handler) {
        guard let first = segments.first else {
            precondition(node.handlers[method] == nil, "route \(method) \(pattern) registered twice")
            node.handlers[method] = handler
            node.pattern = pattern
            return
        }
        if first.hasPrefix("{") && first.hasSuffix("}") {
            let name = String(first.dropFirst().dropLast())
            precondition(node.parameterName == nil || node.parameterName == name, "conflicting parameter names in \(pattern)")
            node.parameterName = name
            if node.parameter.isEmpty { node.parameter = [Node()] }
            insert(&node.parameter[0], segments.dropFirst(), method: method, pattern: pattern, handler: handler)
        } else {
            let key = String(first)
            var child = node.literals[key] ?? Node()
            insert(&child, segments.dropFirst(), method: method, pattern: pattern, handler: handler)
            node.literals[key] = child
        }
    }

    private static func segments(of path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    /// The outcome of matching a path.
    enum Match {
        case found(Handler, pattern: String, PathParameters)
        case methodNotAllowed(allowed: [String], pattern: String)
        case notFound
    }

    func match(method: String, path: String) -> Match {
        var node = root
        var parameters = PathParameters()
        var path = path
        let found: Bool = path.withUTF8 { bytes -> Bool in
            guard bytes.first == UInt8(ascii: "/") else { return false }
            var start = 1
            // Walk "/"-separated segments in place: no array of slices, no copy unless a parameter is captured.
            while true {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: "/") { end += 1 }
                let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let text = String(decoding: segment, as: UTF8.self)
                if let child = node.literals[text] {
                    node = child
                } else if let name = node.parameterName, !segment.isEmpty,
                          // A segment without `%` (an id) is its own value: no second string.
                          let value = segment.contains(UInt8(ascii: "%")) ? PercentDecoding.decode(Substring(text), plusAsSpace: false) : text {
                    parameters.append(name, value)
                    node = node.parameter[0]
                } else {
                    return false
                }
                if end >= bytes.count { return true }
                start = end + 1
            }
        }
        guard found, let pattern = node.pattern else { return .notFound }
        if let handler = node.handlers[method] {
            return .found(handler, pattern: pattern, parameters)
        }
        // RFC 9110 §9.3.2: HEAD is answered like GET (the server omits the body).
        if method == "HEAD", let handler = node.handlers["GET"] {
            return .found(handler, pattern: pattern, parameters)
        }
        var allowed = node.handlers.keys.sorted()
        if allowed.contains("GET") && !allowed.contains("HEAD") { allowed.append("HEAD") }
        return .methodNotAllowed(allowed: allowed, pattern: pattern)
    }

    /// What answers a request at the end of the chain: a route's handler or the router's own problem.
    private enum Endpoint {
        case route(Handler)
        case problem(HTTPServerProblem)
    }

    public func respond(to request: HTTPRequest, context: RequestContext) async throws -> HTTPResponse {
        var request = request
        var context = context
        let endpoint: Endpoint
        switch match(method: request.method, path: request.path) {
        case .found(let handler, let pattern, let parameters):
            request.pathParameters = parameters
            context.route = pattern
            endpoint = .route(handler)
        case .methodNotAllowed(let allowed, let pattern):
            context.route = pattern
            // RFC 9110 §15.5.6: a 405 lists the methods the target supports in `Allow`.
            endpoint = .problem(HTTPServerProblem(status: 405, detail: "the path does not support this method", headers: ["allow": allowed.joined(separator: ", ")]))
        case .notFound:
            endpoint = .problem(HTTPServerProblem(status: 404, detail: "no such path"))
        }
        do {
            return try await runChain(0, endpoint, request, context)
        } catch let error as any HTTPResponseError {
            return error.response()
        }
    }

    public func problemResponse(_ problem: HTTPServerProblem) -> HTTPResponse {
        problemRenderer(problem)
    }

    /// Runs middleware `index` and, through its `next`, the rest and then the endpoint (no allocation per step).
    private func runChain(_ index: Int, _ endpoint: Endpoint, _ request: HTTPRequest, _ context: RequestContext) async throws -> HTTPResponse {
        if index == middlewares.count {
            switch endpoint {
            case .route(let handler):
                // A thrown `HTTPResponseError` becomes its response here, inside the global middlewares, so
                // they (CORS, security headers, the access log) always see a response.
                do {
                    return try await handler(request, context)
                } catch let error as any HTTPResponseError {
                    return error.response()
                }
            case .problem(let problem):
                return problemRenderer(problem)
            }
        }
        return try await middlewares[index].handle(request, context: context) { request, context in
            try await runChain(index + 1, endpoint, request, context)
        }
    }
}
