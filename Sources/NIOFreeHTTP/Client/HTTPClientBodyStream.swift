import Synchronization

/// A response whose body is still arriving (`HTTPClient.stream`).
public struct HTTPClientStreamingResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    /// The body, chunk by chunk.
    public let body: HTTPClientBodyStream
}

/// The body of a streamed response: the connection's loop pushes chunks, one consumer reads them with
/// `next()`. At most about `bufferBytes` wait unread: beyond that the connection stops reading its socket until
/// the consumer catches up (TCP back-pressure reaches the server). `cancel()` drops the connection.
public final class HTTPClientBodyStream: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var ended = false
        var failure: HTTPClientError?
        var waiter: CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>?
        /// The connection stopped reading; call `resume` once the buffer is below half.
        var paused = false
        var resume: (@Sendable () -> Void)?
        var cancel: (@Sendable () -> Void)?
        var cancelled = false
        var peakBuffered = 0
    }

    private let state = Mutex(State())
    let bufferBytes: Int

    init(bufferBytes: Int) {
        self.bufferBytes = max(1, bufferBytes)
    }

    // MARK: the connection's side (its loop)

    /// What the connection does to resume reading and to drop the exchange.
    func connect(resume: @escaping @Sendable () -> Void, cancel: @escaping @Sendable () -> Void) {
        let cancelled = state.withLock { state in
            state.resume = resume
            state.cancel = cancel
            return state.cancelled
        }
        if cancelled { cancel() }
    }

    /// Adds a chunk; returns true when the connection should stop reading until `resume` is called.
    func push(_ bytes: [UInt8]) -> Bool {
        let (waiter, pause): (CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>?, Bool) = state.withLock { state in
            if state.cancelled { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            state.chunks.append(bytes)
            state.buffered += bytes.count
            state.peakBuffered = max(state.peakBuffered, state.buffered)
            if state.buffered > bufferBytes {
                state.paused = true
                return (nil, true)
            }
            return (nil, false)
        }
        waiter?.resume(returning: .success(bytes))
        return pause
    }

    /// The body is complete.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>? in
            state.ended = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .success(nil))
    }

    /// The body broke off.
    func fail(_ error: HTTPClientError) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>? in
            state.ended = true
            // The consumer's own cancel closes the connection: that is the end it asked for, not a failure.
            if !state.cancelled { state.failure = error }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .failure(error))
    }

    /// The connection stopped reading until the consumer catches up (tests observe back-pressure with it).
    var isPaused: Bool { state.withLock { $0.paused } }
    /// The most bytes that ever waited unread.
    var peakBuffered: Int { state.withLock { $0.peakBuffered } }

    // MARK: the consumer's side

    /// The next chunk, or nil at the end of the body. Throws what broke the body off.
    public func next() async throws(HTTPClientError) -> [UInt8]? {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>) in
            let (ready, resume): (Result<[UInt8]?, HTTPClientError>?, (@Sendable () -> Void)?) = state.withLock { state in
                if state.head < state.chunks.count {
                    let chunk = state.chunks[state.head]
                    state.head += 1
                    state.buffered -= chunk.count
                    if state.head == state.chunks.count {
                        state.chunks.removeAll(keepingCapacity: true)
                        state.head = 0
                    }
                    var resume: (@Sendable () -> Void)?
                    if state.paused && state.buffered <= bufferBytes / 2 {
                        state.paused = false
                        resume = state.resume
                    }
                    return (.success(chunk), resume)
                }
                if let failure = state.failure { return (.failure(failure), nil) }
                if state.ended || state.cancelled { return (.success(nil), nil) }
                // Nothing buffered: if reading was paused it must resume, or this would wait for ever.
                var resume: (@Sendable () -> Void)?
                if state.paused {
                    state.paused = false
                    resume = state.resume
                }
                state.waiter = continuation
                return (nil, resume)
            }
            resume?()
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }

    /// Every remaining chunk together, at most `limit` bytes (more → `responseTooLarge`, and the rest dropped).
    public func collect(upTo limit: Int) async throws(HTTPClientError) -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try await next() {
            guard all.count + chunk.count <= limit else {
                cancel()
                throw .responseTooLarge
            }
            all += chunk
        }
        return all
    }

    /// Stops reading: the connection is closed (never reused with a body half read).
    public func cancel() {
        let (cancel, waiter) = state.withLock { state -> ((@Sendable () -> Void)?, CheckedContinuation<Result<[UInt8]?, HTTPClientError>, Never>?) in
            guard !state.cancelled, !state.ended else { return (nil, nil) }
            state.cancelled = true
            state.chunks.removeAll()
            state.buffered = 0
            defer { state.waiter = nil }
            return (state.cancel, state.waiter)
        }
        cancel?()
        waiter?.resume(returning: .success(nil))
    }
}
