/// An error that knows its HTTP answer (Hummingbird's `HTTPResponseError` is the model). Any layer — a
/// middleware, a handler, code they call — throws one; the router turns it into the response where it leaves
/// a route group and at the top, so the middlewares outside see a response, never the error.
public protocol HTTPResponseError: Error {
    /// The answer for this error.
    func response() -> HTTPResponse
}
