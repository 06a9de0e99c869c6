import Foundation

/// The union of Weavr's error bodies: `{errorCode}`, `{code, message}`, `{message?, syntaxErrors}`.
struct WeavrErrorBody: Decodable {
    struct SyntaxErrors: Decodable {
        var invalidFields: [WeavrInvalidField]?
    }

    var errorCode: String?
    var code: String?
    var message: String?
    var syntaxErrors: SyntaxErrors?

    static func decode(_ bytes: [UInt8]) -> WeavrErrorBody? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONDecoder().decode(WeavrErrorBody.self, from: Data(bytes))
    }
}
