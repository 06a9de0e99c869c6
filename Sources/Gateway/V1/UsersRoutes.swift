import NIOFreeHTTP

/// The `/v1` users routes. TODO(issue 5): not built yet; registers nothing.
struct UsersRoutes: Sendable {
    let v1: V1Router

    func register(on router: inout Router) {}
}
