import Audit
import Storage
import Testing

struct AuditStorageFailureTests {
    @Test func diskFullFailsTheAppendClosedAndTheChainStillVerifies() async throws {
        let fixture = try await AuditFixture(
            configuration: Database.Configuration(connection: SQLiteConnection.Configuration(maxPageCount: 1))
        )
        // max_page_count is clamped to the file's size after migrations: fill the free space.
        var failure: (any Error)?
        var written = 0
        for round in 0..<2_000 {
            do {
                try await fixture.log.append((0..<5).map { AuditFixture.entry(round * 5 + $0) })
                written += 5
            } catch {
                failure = error
                break
            }
        }
        let storageError = try #require(failure as? StorageError)
        #expect(storageError == .full)
        #expect(storageError.isUnavailable)

        // Nothing of the failed call is stored; the head still matches the last row.
        let afterFailure = try await fixture.log.verify()
        #expect(afterFailure.ok && afterFailure.rows == written && afterFailure.headSeq == Int64(written))

        // Space comes back.
        try await fixture.database.write { try $0.setMaxPageCount(1_000_000) }
        let seqs = try await fixture.log.append((0..<3).map { AuditFixture.entry($0) })
        #expect(seqs == [Int64(written + 1), Int64(written + 2), Int64(written + 3)])
        let recovered = try await fixture.log.verify()
        #expect(recovered.ok && recovered.rows == written + 3)
    }

    @Test func quotaConsumeFailsClosedWhenTheDiskIsFull() async throws {
        let fixture = try await AuditFixture(
            configuration: Database.Configuration(connection: SQLiteConnection.Configuration(maxPageCount: 1))
        )
        // Fill the file, then a new counter row has no room.
        for round in 0..<2_000 {
            do { try await fixture.log.append((0..<20).map { AuditFixture.entry(round * 20 + $0) }) } catch { break }
        }
        var sawFull = false
        for index in 0..<200 {
            do {
                _ = try await fixture.ledger.consume(tenant: "tenant-\(index)-" + String(repeating: "x", count: 200), operation: .cardsBlock, limit: 10)
            } catch let error as StorageError {
                #expect(error.isUnavailable)
                sawFull = true
                break
            }
        }
        #expect(sawFull)
    }

    @Test func appendToAClosedDatabaseIsUnavailable() async throws {
        let fixture = try await AuditFixture()
        let log = fixture.log
        fixture.database.close()
        await #expect {
            try await log.append(AuditFixture.entry(1))
        } throws: { error in
            (error as? StorageError)?.isUnavailable == true
        }
    }
}
