import HTTPTypes

extension CurlResponse {
    /// The header block parsed into fields, in order, byte by byte: the status line, blank
    /// lines, obsolete folded lines and lines that are not `name: value` are skipped. Runs on
    /// the caller's task, so the engine thread only copies bytes.
    var headerFields: HTTPFields {
        var fields = HTTPFields()
        rawHeaders.withUnsafeBufferPointer { block in
            var lineStart = 0
            while lineStart < block.count {
                var lineEnd = lineStart
                while lineEnd < block.count, block[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                if let field = Self.field(UnsafeBufferPointer(rebasing: block[lineStart..<lineEnd])) { fields.append(field) }
                lineStart = lineEnd + 1
            }
        }
        return fields
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private static func field(_ line: UnsafeBufferPointer<UInt8>) -> HTTPField? {
        guard let first = line.first, !isSpace(first), !line.starts(with: "HTTP/".utf8),
            let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0
        else { return nil }
        var nameEnd = colon
        while nameEnd > 0, isSpace(line[nameEnd - 1]) { nameEnd -= 1 }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, isSpace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, isSpace(line[valueEnd - 1]) { valueEnd -= 1 }
        guard let name = HTTPField.Name(String(decoding: UnsafeBufferPointer(rebasing: line[..<nameEnd]), as: UTF8.self)) else {
            return nil
        }
        return HTTPField(name: name, value: String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self))
    }
}
