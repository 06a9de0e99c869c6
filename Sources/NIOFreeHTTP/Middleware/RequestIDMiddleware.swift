import Synchronization

/// Accepts a well-formed `X-Request-Id` (1–128 of `A-Z a-z 0-9 . _ -`) or generates one,
/// puts it in the context and echoes it on the response.
public struct RequestIDMiddleware: HTTPMiddleware {
    public static let headerName = "x-request-id"

    public init() {}

    public func handle(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let context = Self.identified(request, context)
        var response = try await next(request, context)
        response.headers.replaceOrAdd(Self.headerName, context.requestID)
        return response
    }

    public func handleImmediately(
        _ request: HTTPRequest,
        context: RequestContext,
        next: (HTTPRequest, RequestContext) -> HTTPResponse?
    ) -> HTTPResponse? {
        let context = Self.identified(request, context)
        guard var response = next(request, context) else { return nil }
        response.headers.replaceOrAdd(Self.headerName, context.requestID)
        return response
    }

    /// `context` with the request's id: the client's when acceptable, else a new one.
    private static func identified(_ request: HTTPRequest, _ context: RequestContext) -> RequestContext {
        var context = context
        if let given = request.headers[headerName], isAcceptable(given) {
            context.requestID = given
        } else {
            context.requestID = RequestIDGenerator.shared.next()
        }
        return context
    }

    /// True for 1–128 characters from `A-Z a-z 0-9 . _ -` (no spaces, no CR/LF, nothing to inject into logs).
    public static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard (1...128).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }
}

/// Unique, cheap request ids: a random per-process prefix and a counter (no syscall per request),
/// "<12 hex>-<16 hex>", formatted in one allocation.
final class RequestIDGenerator: Sendable {
    static let shared = RequestIDGenerator()
    private let prefix: UInt64
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        prefix = generator.next() & 0xFFFF_FFFF_FFFF
    }

    func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 29) { buffer in
            for i in 0..<12 { buffer[i] = digits.utf8Start[Int((prefix >> UInt64(44 - 4 * i)) & 0xF)] }
            buffer[12] = UInt8(ascii: "-")
            for i in 0..<16 { buffer[13 + i] = digits.utf8Start[Int((n >> UInt64(60 - 4 * i)) & 0xF)] }
            return 29
        }
    }
}
