import Foundation
import Storage
import Testing
import TestSupport

struct IntegrityCheckTests {
    /// A closed database of a few pages (4096 bytes each) with 200 rows in `items`.
    private func makeDatabase(at path: String) async throws {
        let database = try Database.open(path: path, migrations: ItemsSchema.migrations)
        try await database.write { connection in
            for index in 0..<200 {
                try connection.run(
                    "INSERT INTO items (name, payload) VALUES (?, ?)",
                    [.text("item-\(index)"), .blob(Array(repeating: UInt8(index % 256), count: 64))]
                )
            }
        }
        database.close()
    }

    @Test func refusesDatabaseWithDamagedPageAndLeavesFileUntouched() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        try await makeDatabase(at: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count >= 3 * 4096)
        // Page 2 is the root of `items`: scribble over its b-tree page header and cell pointers.
        bytes.replaceSubrange(4096..<4096 + 64, with: Data(repeating: 0xA5, count: 64))
        try bytes.write(to: URL(fileURLWithPath: path))

        #expect {
            try Database.open(path: path, migrations: ItemsSchema.migrations)
        } throws: { error in
            error as? StorageError == .corrupt
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func refusesFileWithGarbageHeaderAndLeavesFileUntouched() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        try await makeDatabase(at: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange(0..<100, with: Data(repeating: 0x42, count: 100))
        try bytes.write(to: URL(fileURLWithPath: path))

        #expect {
            try Database.open(path: path, migrations: ItemsSchema.migrations)
        } throws: { error in
            error as? StorageError == .notADatabase
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func refusesTextFileAndLeavesItUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("notes.txt")
        let text = Data(String(repeating: "not a database\n", count: 500).utf8)
        try text.write(to: URL(fileURLWithPath: path))

        #expect(throws: StorageError.notADatabase) {
            try Database.open(path: path, migrations: ItemsSchema.migrations)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }

    @Test func opensEmptyFileAsNewDatabase() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("db.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))

        let database = try Database.open(path: path, migrations: ItemsSchema.migrations)
        defer { database.close() }
        #expect(try await ItemsSchema.count(in: database) == 0)
    }
}
