import NIOFreeHTTP

/// The `/v1` cards routes. TODO(issue 5): not built yet; registers nothing.
struct CardsRoutes: Sendable {
    let v1: V1Router

    func register(on router: inout Router) {}
}
