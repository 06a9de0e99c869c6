#if canImport(Glibc)
import Glibc
#endif

/// Memory and file descriptors of this process, read from `/proc/self` (Linux; zero elsewhere).
enum ProcessStatistics {
    /// Resident set size in bytes: field 2 of `/proc/self/statm` (pages) × the page size.
    static func residentMemoryBytes() -> Double {
        #if os(Linux)
        guard let text = readSmallFile("/proc/self/statm") else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 0
        #endif
    }

    /// Open file descriptors: the entries of `/proc/self/fd` (less the one this listing holds).
    static func openFileDescriptors() -> Double {
        #if os(Linux)
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return Double(max(0, count - 1))
        #else
        return 0
        #endif
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self).trimmingSuffixNewline
    }
}

extension String {
    fileprivate var trimmingSuffixNewline: String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
