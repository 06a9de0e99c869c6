import NIOFreeHTTP

/// The `/v1` accounts routes. TODO(issue 5): not built yet; registers nothing.
struct AccountsRoutes: Sendable {
    let v1: V1Router

    func register(on router: inout Router) {}
}
