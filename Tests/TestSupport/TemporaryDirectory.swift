public import Foundation

/// A fresh directory under the system temporary directory, removed on deinit. The one temporary directory
/// of every test target.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String = "weavr-gateway-tests") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `bytes` to `name` with permissions `mode`; returns the path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8], mode: Int) throws -> String {
        let path = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }
}
