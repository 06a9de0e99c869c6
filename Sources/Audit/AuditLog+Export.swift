extension AuditLog {
    /// Streams every row matching `filter` (its `afterSeq` is the starting point) to `write`
    /// in `format`, oldest first, reading 1,000 rows at a time and calling `write` with
    /// chunks of about `chunkSize` bytes. Returns the number of rows written.
    @discardableResult
    public func export(
        _ filter: AuditFilter = AuditFilter(),
        format: AuditExportFormat,
        chunkSize: Int = 64 * 1024,
        write: ([UInt8]) throws -> Void
    ) async throws -> Int {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunkSize + 4096)
        if format == .csv {
            buffer.append(contentsOf: Array(AuditRecord.fieldNames.joined(separator: ",").utf8))
            buffer.append(contentsOf: [0x0D, 0x0A])
        }
        var filter = filter
        var count = 0
        while true {
            let page = try await query(filter, limit: 1000)
            for record in page.records {
                switch format {
                case .ndjson: record.appendNDJSON(to: &buffer)
                case .csv: record.appendCSV(to: &buffer)
                }
                count += 1
                if buffer.count >= chunkSize {
                    try write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            guard let cursor = page.nextCursor else { break }
            filter.afterSeq = cursor
        }
        if !buffer.isEmpty { try write(buffer) }
        return count
    }
}
