import GatewayCore

/// Matches method + path to a handler. Patterns are literal segments and `{name}` parameters
/// (`/v1/cards/{id}/block`). Unknown paths → 404, known path with another method → 405 with `Allow`.
///
/// Build it with `add` (a handler may run its own steps around the route: the gateway's `/v1` pipeline),
/// then use it as the server's responder. Global middlewares run for every request, after the route is matched (so they see
/// `context.route`), including 404 and 405 answers. A thrown `HTTPResponseError` becomes its response.
///
/// A route on a literal path whose answer needs no waiting (`/healthz`) can be added with `immediate`: the server
/// then answers it on the event loop as the request is parsed, without a worker task
/// (`HTTPResponder.respondImmediately`), when every global middleware can handle it that way
/// (`HTTPMiddleware.handleImmediately`); else, and for every other route, through `respond`.
public struct Router: HTTPResponder {
    /// A route handler.
    public typealias Handler = @Sendable (HTTPRequest, RequestContext) async throws -> HTTPResponse
    /// A route handler that answers without waiting (`immediate`).
    public typealias ImmediateHandler = @Sendable (HTTPRequest, RequestContext) -> HTTPResponse

    private struct Node: Sendable {
        var literals: [String: Node] = [:]
        var parameterName: String?
        var parameter: [Node] = []  // zero or one child: arrays let a struct hold itself
        var handlers: [String: Handler] = [:]
        var pattern: String?
    }

    private var root = Node()
    private var middlewares: [any HTTPMiddleware]
    /// The `immediate` routes, each path with its handlers by method: a few, so a linear search (a length check
    /// and a byte compare each) costs the other routes less than hashing their path would.
    private var immediateRoutes: [(path: String, handlers: [String: ImmediateHandler])] = []
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

    /// Registers `handler` for `method` on the literal `path` (no `{parameter}`), as a route answered without
    /// waiting: on the event loop as the request is parsed when the global middlewares allow it, else through
    /// `respond` like any route (the same handler, so the answer is the same either way).
    public mutating func immediate(_ method: String, _ path: String, _ handler: @escaping ImmediateHandler) {
        precondition(!path.contains("{"), "an immediate route has a literal path: \(path)")
        add(method, path) { request, context in handler(request, context) }
        if let index = immediateRoutes.firstIndex(where: { $0.path == path }) {
            immediateRoutes[index].handlers[method] = handler
        } else {
            immediateRoutes.append((path, [method: handler]))
        }
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

    /// An `immediate` route's answer through the global middlewares' `handleImmediately`, or nil: not such a
    /// route, or a middleware needs `respond` for this request.
    public func respondImmediately(to request: HTTPRequest, context: RequestContext) -> HTTPResponse? {
        guard let byMethod = immediateRoutes.first(where: { $0.path == request.path })?.handlers else { return nil }
        let handler: ImmediateHandler
        if let own = byMethod[request.method] {
            handler = own
        } else if request.method == "HEAD", let get = byMethod["GET"], !routes.contains(where: { $0 == ("HEAD", request.path) }) {
            // As `match`: HEAD is answered like GET unless the path has a HEAD route of its own.
            handler = get
        } else {
            return nil
        }
        var context = context
        context.route = request.path
        return runChainImmediately(0, handler, request, context)
    }

    private func runChainImmediately(_ index: Int, _ handler: ImmediateHandler, _ request: HTTPRequest, _ context: RequestContext) -> HTTPResponse? {
        if index == middlewares.count { return handler(request, context) }
        return middlewares[index].handleImmediately(request, context: context) { request, context in
            runChainImmediately(index + 1, handler, request, context)
        }
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
