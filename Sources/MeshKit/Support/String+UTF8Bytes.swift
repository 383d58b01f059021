extension String {
    /// Calls `body` with the string's UTF-8 bytes where they are, as a buffer. A native Swift
    /// string (nearly every string on a call's path) is read in place; only a bridged one is
    /// copied first. For parsers and hashes that look at bytes by index.
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
