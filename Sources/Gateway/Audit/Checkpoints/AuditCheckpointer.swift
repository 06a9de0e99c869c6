public import Audit
import Foundation
public import GatewayCore
import Glibc
import Logging
public import NIOFreeHTTP

/// Signs a checkpoint of the audit chain every `everyRows` new rows or every `everySeconds` (whichever comes
/// first, and only when rows were added), stores it (`audit_checkpoint`) and writes it to the sinks — a file
/// directory and a webhook — so copies live outside the database and, through them, outside the machine.
public final class AuditCheckpointer: Sendable {
    /// Cadence and sinks (configuration keys `checkpoints.*`).
    public struct Settings: Sendable, Equatable {
        /// A checkpoint once this many rows were appended since the last one. Default 1,000.
        public var everyRows = 1_000
        /// A checkpoint once this many seconds passed since the last one (when rows were added). Default 300.
        public var everySeconds = 300
        /// The log's origin line and key name. Default `weavr-gateway/audit`.
        public var origin = "weavr-gateway/audit"
        /// Directory every signed note is also written to, one file per tree size. Default nil (none).
        public var directory: String?
        /// URL every signed note is also POSTed to (`text/plain`); empty for none. Default empty.
        public var webhookURL = ""

        public init() {}
    }

    public let settings: Settings
    public let signer: AuditCheckpointSigner
    public let store: AuditCheckpointStore
    private let clock: any WallClock
    private let http: HTTPClient?
    private let startedAt: Int64
    private let logger = Logger(label: "weavr-gateway.checkpoints")

    /// `http` posts to `settings.webhookURL` (none without it).
    public init(store: AuditCheckpointStore, signer: AuditCheckpointSigner, settings: Settings, clock: any WallClock, http: HTTPClient? = nil) {
        self.http = http
        self.store = store
        self.signer = signer
        self.settings = settings
        self.clock = clock
        startedAt = clock.now
    }

    /// Signs and stores a checkpoint when one is due (or `force`d and rows were added); returns it, or nil.
    @discardableResult
    public func tick(force: Bool = false) async throws -> AuditCheckpointRecord? {
        let head = try await store.head()
        let latest = try await store.latest()
        let covered = latest?.treeSize ?? 0
        guard head.seq > covered else { return nil }
        let since = latest?.createdAt ?? startedAt
        let due = force || head.seq - covered >= Int64(settings.everyRows) || clock.now - since >= Int64(settings.everySeconds) * 1000
        guard due else { return nil }
        return try await checkpoint(head: head)
    }

    private func checkpoint(head: (seq: Int64, hash: String)) async throws -> AuditCheckpointRecord? {
        guard let root = Hex.decode(head.hash), root.count == 32 else { throw AuditCheckpointError.malformed("the chain head is not a SHA-256 hash") }
        let note = try signer.sign(AuditCheckpointNote(origin: signer.keyName, treeSize: head.seq, rootHash: root))
        let record = AuditCheckpointRecord(treeSize: head.seq, rootHash: head.hash, createdAt: clock.now, keyID: Hex.encode(signer.keyID), note: note)
        // Another instance may have signed the same tree size first: then its note stands.
        guard try await store.insert(record) else { return nil }
        if let directory = settings.directory {
            do {
                try Self.writeDurably(note, to: directory, name: String(format: "checkpoint-%020lld", head.seq))
            } catch {
                logger.error("checkpoint sink write failed", metadata: ["directory": "\(directory)", "error": "\(error)"])
            }
        }
        if !settings.webhookURL.isEmpty, let http {
            await post(note, treeSize: head.seq, to: settings.webhookURL, with: http)
        }
        return record
    }

    /// POSTs the note; a failure is logged (the note stays in the database and the file sink; the next
    /// checkpoint, which covers it, is posted as usual).
    private func post(_ note: String, treeSize: Int64, to url: String, with http: HTTPClient) async {
        var request = HTTPClientRequest(method: "POST", url: url, body: Array(note.utf8))
        request.headers.add("content-type", "text/plain; charset=utf-8")
        request.headers.add("weavr-gateway-checkpoint-tree-size", String(treeSize))
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            if !(200..<300).contains(response.status) {
                logger.error("checkpoint webhook refused", metadata: ["status": "\(response.status)", "tree_size": "\(treeSize)"])
            }
        } catch {
            logger.error("checkpoint webhook failed", metadata: ["error": "\(error)", "tree_size": "\(treeSize)"])
        }
    }

    /// Writes `text` to `directory/name` through a temporary file, fsync, rename and a directory fsync: a reader
    /// sees the whole note or none, and it survives power loss once this returns.
    static func writeDurably(_ text: String, to directory: String, name: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let final = URL(fileURLWithPath: directory).appendingPathComponent(name)
        let temporary = URL(fileURLWithPath: directory).appendingPathComponent("." + name + ".tmp")
        _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, final.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        // The rename itself is durable once the directory is synced.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Checks every second whether a checkpoint is due; cancel the task to stop.
    public func start(every interval: Duration = .seconds(1)) -> Task<Void, Never> {
        Task.detached(priority: .background) { [self] in
            while !Task.isCancelled {
                do { try await tick() } catch { logger.error("checkpoint failed", metadata: ["error": "\(error)"]) }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
