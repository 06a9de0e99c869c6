#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

import GatewayCore

/// Where a CLI command reads a secret (a Weavr api-key) from. Never the command line:
/// argv is visible to every local user through `ps` and `/proc/<pid>/cmdline`.
enum SecretInput: Sendable, Hashable {
    /// Standard input (a pipe or a redirected file), up to the first newline.
    case standardInput
    /// The first line of a file.
    case file(String)

    /// The most bytes read.
    static let maxLength = 4096

    /// Reads the secret: the first line, without surrounding whitespace; must be non-empty.
    func read() throws -> String {
        let descriptor: Int32
        switch self {
        case .standardInput:
            descriptor = STDIN_FILENO
        case .file(let path):
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw SecretInputError.unreadable(source: "file \(path)") }
        }
        defer {
            if case .file = self { close(descriptor) }
        }
        var buffer = [UInt8](repeating: 0, count: Self.maxLength + 1)
        var total = 0
        while total < buffer.count {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + total, $0.count - total) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SecretInputError.unreadable(source: sourceName)
            }
            if count == 0 { break }
            total += count
            if buffer[..<total].contains(UInt8(ascii: "\n")) { break }
        }
        let line = buffer[..<total].split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        for index in buffer.indices { buffer[index] = 0 }
        guard line.count <= Self.maxLength else { throw SecretInputError.tooLong(source: sourceName) }
        let secret = String(decoding: line, as: UTF8.self).trimmingASCIIWhitespace()
        guard !secret.isEmpty else { throw SecretInputError.empty(source: sourceName) }
        return secret
    }

    private var sourceName: String {
        switch self {
        case .standardInput: "standard input"
        case .file(let path): "file \(path)"
        }
    }
}

/// `read(2)`, named so that `SecretInput.read()` does not shadow it.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
