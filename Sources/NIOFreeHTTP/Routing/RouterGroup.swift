/// Routes under one path prefix that share a middleware stack (Hummingbird's `RouterGroup` and
/// `MiddlewareGroup` are the model). The group's middlewares run only for its routes, after the router's
/// global ones and after the route matched (so `context.route` and the path parameters are known), in the
/// order given. Each route may declare typed values (`ContextValues`) that the group's middlewares read —
/// a body limit, an idempotency scope, an audited action — so the route table says what a route needs.
///
/// An `HTTPResponseError` thrown inside the group (by a middleware, the handler or anything they call)
/// becomes its response as it leaves the group; middlewares inside see it thrown and may catch it.
public struct RouterGroup {
    struct Registration {
        var method: String
        var path: String
        var values: ContextValues
        var handler: Router.Handler
    }

    let prefix: String
    let middlewares: [any HTTPMiddleware]
    var registrations: [Registration] = []

    init(prefix: String, middlewares: [any HTTPMiddleware]) {
        self.prefix = prefix
        self.middlewares = middlewares
    }

    /// Registers `handler` for `method` and `prefix + path`, with `values` put into the context before the
    /// group's middlewares run.
    public mutating func add(_ method: String, _ path: String, values: ContextValues = ContextValues(), _ handler: @escaping Router.Handler) {
        registrations.append(Registration(method: method, path: path, values: values, handler: handler))
    }

    public mutating func get(_ path: String, values: ContextValues = ContextValues(), _ handler: @escaping Router.Handler) {
        add("GET", path, values: values, handler)
    }

    public mutating func post(_ path: String, values: ContextValues = ContextValues(), _ handler: @escaping Router.Handler) {
        add("POST", path, values: values, handler)
    }

    public mutating func patch(_ path: String, values: ContextValues = ContextValues(), _ handler: @escaping Router.Handler) {
        add("PATCH", path, values: values, handler)
    }

    public mutating func delete(_ path: String, values: ContextValues = ContextValues(), _ handler: @escaping Router.Handler) {
        add("DELETE", path, values: values, handler)
    }

    /// `handler` wrapped in `middlewares` (outermost first), with `values` in the context and thrown
    /// `HTTPResponseError`s turned into their responses.
    static func compose(_ middlewares: [any HTTPMiddleware], values: ContextValues, _ handler: @escaping Router.Handler) -> Router.Handler {
        { request, context in
            var context = context
            context.values.merge(values)
            do {
                return try await run(middlewares[...], handler, request, context)
            } catch let error as any HTTPResponseError {
                return error.response()
            }
        }
    }

    private static func run(
        _ middlewares: ArraySlice<any HTTPMiddleware>, _ handler: Router.Handler, _ request: HTTPRequest, _ context: RequestContext
    ) async throws -> HTTPResponse {
        guard let first = middlewares.first else { return try await handler(request, context) }
        return try await first.handle(request, context: context) { request, context in
            try await run(middlewares.dropFirst(), handler, request, context)
        }
    }
}

extension Router {
    /// Adds the routes `build` registers under `prefix`, each wrapped in `middlewares` (see `RouterGroup`).
    public mutating func group(_ prefix: String, middlewares: [any HTTPMiddleware] = [], _ build: (inout RouterGroup) -> Void) {
        var group = RouterGroup(prefix: prefix, middlewares: middlewares)
        build(&group)
        for route in group.registrations {
            add(route.method, prefix + route.path, RouterGroup.compose(middlewares, values: route.values, route.handler))
        }
    }
}
