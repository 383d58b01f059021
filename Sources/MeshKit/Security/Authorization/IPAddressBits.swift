/// An IP address as 128 bits, IPv4 addresses mapped into IPv6 (`::ffff:a.b.c.d`), parsed from
/// text without allocating, so that a request's address can be read on every decision.
struct IPAddressBits: Sendable, Hashable {
    var high: UInt64
    var low: UInt64

    /// Whether the address is IPv4 (or IPv4-mapped).
    var isV4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// The address with all but the first `bits` bits cleared.
    func masked(to bits: Int) -> IPAddressBits {
        func mask(_ count: Int) -> UInt64 { count <= 0 ? 0 : count >= 64 ? .max : ~(UInt64.max >> UInt64(count)) }
        return IPAddressBits(high: high & mask(bits), low: low & mask(bits - 64))
    }

    private init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses `text` as ``init(_:)`` does, reading its UTF-8 in place.
    init?(parsing text: String) {
        guard let parsed = text.withUTF8Bytes({ IPAddressBits($0) }) else { return nil }
        self = parsed
    }

    /// Parses a dotted IPv4 address or an IPv6 address (with `::`, an embedded IPv4 tail, and
    /// an ignored `%zone`); `nil` otherwise.
    init?(_ text: some Collection<UInt8>) {
        if !text.contains(UInt8(ascii: ":")) {
            guard let v4 = Self.parseV4(text) else { return nil }
            self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(v4))
            return
        }
        guard let words = Self.parseV6(text) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(words.word(index)) }
        for index in 4..<8 { low = low << 16 | UInt64(words.word(index)) }
        self.init(high: high, low: low)
    }

    private static func parseV4(_ text: some Collection<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var parts = 0
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                parts += 1
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard octet <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | octet
    }

    /// Eight 16-bit words, without an array.
    private struct Words {
        var storage: (UInt64, UInt64) = (0, 0)
        func word(_ index: Int) -> UInt16 {
            let part = index < 4 ? storage.0 : storage.1
            return UInt16(truncatingIfNeeded: part >> UInt64((3 - index % 4) * 16))
        }
        mutating func set(_ index: Int, _ value: UInt16) {
            let shift = UInt64((3 - index % 4) * 16)
            if index < 4 {
                storage.0 = storage.0 & ~(0xFFFF << shift) | UInt64(value) << shift
            } else {
                storage.1 = storage.1 & ~(0xFFFF << shift) | UInt64(value) << shift
            }
        }
    }

    private static func parseV6(_ text: some Collection<UInt8>) -> Words? {
        var head = Words()
        var tail = Words()
        var headCount = 0
        var tailCount = 0
        var afterGap = false
        var index = text.startIndex
        let end = text.firstIndex(of: UInt8(ascii: "%")) ?? text.endIndex
        guard index != end else { return nil }
        if text[index] == UInt8(ascii: ":") {
            let next = text.index(after: index)
            guard next != end, text[next] == UInt8(ascii: ":") else { return nil }
            afterGap = true
            index = text.index(after: next)
        }
        while index != end {
            let groupStart = index
            var value: UInt32 = 0
            var digits = 0
            while index != end, let digit = hexValue(text[index]) {
                value = value << 4 | UInt32(digit)
                digits += 1
                index = text.index(after: index)
            }
            if index != end, text[index] == UInt8(ascii: ".") {
                // An embedded IPv4 address ends the text.
                guard let v4 = parseV4(text[groupStart..<end]) else { return nil }
                guard headCount + tailCount <= 6 else { return nil }
                for half in 0..<2 {
                    let word = UInt16(truncatingIfNeeded: half == 0 ? v4 >> 16 : v4)
                    if afterGap {
                        tail.set(tailCount, word)
                        tailCount += 1
                    } else {
                        head.set(headCount, word)
                        headCount += 1
                    }
                }
                break
            }
            guard digits > 0, digits <= 4, headCount + tailCount < 8 else { return nil }
            if afterGap {
                tail.set(tailCount, UInt16(value))
                tailCount += 1
            } else {
                head.set(headCount, UInt16(value))
                headCount += 1
            }
            guard index != end else { break }
            guard text[index] == UInt8(ascii: ":") else { return nil }
            index = text.index(after: index)
            if index != end, text[index] == UInt8(ascii: ":") {
                guard !afterGap else { return nil }
                afterGap = true
                index = text.index(after: index)
            } else if index == end {
                return nil
            }
        }
        guard afterGap ? headCount + tailCount < 8 : headCount == 8 else { return nil }
        for offset in 0..<tailCount { head.set(8 - tailCount + offset, tail.word(offset)) }
        return head
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
