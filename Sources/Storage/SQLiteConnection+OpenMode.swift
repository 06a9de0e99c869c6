extension SQLiteConnection {
    /// How a connection opens its file.
    public enum OpenMode: Sendable {
        /// Read and write; the file is created when it does not exist.
        case readWriteCreate
        /// Read and write; opening fails when the file does not exist.
        case readWrite
        /// Read only; `journal_mode` and `synchronous` are left as the writer set them.
        case readOnly
    }
}
