/// An IPv4 or IPv6 address block, such as `10.0.0.0/8` or `2001:db8::/32`; a bare address is
/// a block of one. IPv4 addresses are kept as IPv4-mapped IPv6 addresses, so one comparison
/// serves both, and an IPv4 block never matches an IPv6 caller that is not IPv4-mapped.
struct CIDRBlock: Sendable, Hashable {
    let address: IPAddressBits
    let prefixLength: Int

    /// Parses `text`; `nil` when it is not an address or block.
    init?(_ text: String) {
        var text = text
        let parsed: IPAddressBits?
        var length: Int?
        if let slash = text.firstIndex(of: "/") {
            guard let bits = Int(text[text.index(after: slash)...]) else { return nil }
            length = bits
            text = String(text[..<slash])
        }
        parsed = IPAddressBits(text.utf8)
        guard let address = parsed else { return nil }
        let maximum = address.isV4 ? 32 : 128
        let prefix = length ?? maximum
        guard (0...maximum).contains(prefix) else { return nil }
        self.prefixLength = address.isV4 ? prefix + 96 : prefix
        self.address = address.masked(to: self.prefixLength)
    }

    /// Whether `candidate` is in the block.
    func contains(_ candidate: IPAddressBits) -> Bool {
        candidate.masked(to: prefixLength) == address
    }
}
