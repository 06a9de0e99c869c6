@testable import NIOFreeHTTP
import Testing

/// The one framing rule (RFC 9112 §6.3), driven directly: header lines in, framing or error out.
struct CodecBodyFramingTests {
    static func fields(_ lines: [String]) -> HTTPFramingFields {
        var fields = HTTPFramingFields()
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            let name = Array(parts[0].utf8)
            let value = Array(parts[1].trimmingPrefix(" ").utf8)
            name.withUnsafeBytes { n in value.withUnsafeBytes { v in fields.observe(name: n, value: v) } }
        }
        return fields
    }

    static func framing(_ message: HTTPBodyFraming.Message, _ version: HTTPVersion = .http1_1, _ lines: [String]) -> String {
        switch HTTPBodyFraming.of(message, version: version, fields: fields(lines), maxBodyBytes: 100) {
        case .success(let framing): "\(framing)"
        case .failure(let error): "\(error.status) \(error.reason)"
        }
    }

    static let request = HTTPBodyFraming.Message.request
    static let ok = HTTPBodyFraming.Message.response(status: 200, toHEAD: false)

    @Test(arguments: [
        (request, HTTPVersion.http1_1, [String](), "none"),
        (request, .http1_1, ["Content-Length: 0"], "none"),
        (request, .http1_1, ["Content-Length: 7"], "length(7)"),
        (request, .http1_1, ["Content-Length: 7, 7"], "length(7)"),
        (request, .http1_1, ["Content-Length: 7", "Content-Length: 8"], "400 invalid Content-Length"),
        (request, .http1_1, ["Content-Length: 101"], "413 body too large"),
        (request, .http1_1, ["Transfer-Encoding: chunked"], "chunked"),
        (request, .http1_1, ["Transfer-Encoding: chunked", "Content-Length: 1"], "400 Content-Length with Transfer-Encoding"),
        (request, .http1_0, ["Transfer-Encoding: chunked"], "400 Transfer-Encoding in HTTP/1.0"),
        (request, .http1_1, ["Transfer-Encoding: chunked, gzip"], "400 invalid Transfer-Encoding"),
        (request, .http1_1, ["Transfer-Encoding: gzip, chunked"], "501 unsupported transfer coding"),
        (ok, .http1_1, [], "untilClose"),
        (ok, .http1_1, ["Content-Length: 7"], "length(7)"),
        (ok, .http1_1, ["Content-Length: 101"], "413 body too large"),
        (ok, .http1_1, ["Transfer-Encoding: chunked", "Content-Length: 1"], "chunked"),
        (ok, .http1_1, ["Transfer-Encoding: gzip, chunked"], "chunked"),
        (ok, .http1_1, ["Transfer-Encoding: gzip"], "400 unsupported transfer coding"),
        (.response(status: 200, toHEAD: true), .http1_1, ["Content-Length: 7"], "none"),
        (.response(status: 101, toHEAD: false), .http1_1, [], "none"),
        (.response(status: 204, toHEAD: false), .http1_1, ["Transfer-Encoding: chunked"], "none"),
        (.response(status: 304, toHEAD: false), .http1_1, ["Content-Length: 7"], "none"),
    ])
    func oneRuleFramesRequestsAndResponses(message: HTTPBodyFraming.Message, version: HTTPVersion, lines: [String], expected: String) {
        #expect(Self.framing(message, version, lines) == expected)
    }
}
