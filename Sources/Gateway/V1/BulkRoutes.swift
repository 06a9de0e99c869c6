import NIOFreeHTTP

/// The `/v1` bulk routes. TODO(issue 5): not built yet; registers nothing.
struct BulkRoutes: Sendable {
    let v1: V1Router

    func register(on router: inout Router) {}
}
