import Foundation
import Testing

@testable import MeshKit

/// The JSON checks behind CloudEvents: whether an `application/json` payload goes in `data` as
/// JSON, and how a delivered envelope splits into attributes.
@Suite struct JSONScannerTests {
    /// Foundation's answer, which the envelope used before it had a scanner of its own, corrected
    /// where it differs from Go's `encoding/json`, and so from Dapr: Foundation accepts a trailing
    /// comma in an array or object.
    static func foundationAccepts(_ data: Data) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        if text.contains(/,[ \t\r\n]*[\]}]/) { return false }
        return (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) != nil
    }

    static let valid = [
        "0", "-0", "12", "-12.5e+3", "1E9", "0.5", "true", "false", "null", #""""#, #""a\"b\\c\/d\b\f\n\r\t""#,
        #""\u00e9\u20AC""#, "\"caf\u{E9} \u{1F600}\"", " [1, 2 ,3]\n", "{}", "[]", #"{"a":{"b":[{"c":null}]}}"#,
        #"{"a":1,"a":2}"#, "\t{ \"k\" : [ ] }\r\n", "123456789012345678901234567890", "1e-400",
    ]

    static let invalid = [
        "", " ", "01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "NaN", "Infinity", "tru", "nul", "True", #"""#,
        #""\x""#, #""\u12""#, #""\u12G4""#, "\"a\u{1}b\"", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "{'a':1}",
        "[", "]", "{\"a\":[}", "[1]]", "1 2", "{}x", "// c\n1", "1e400", "-1E+309",
    ]

    @Test("valid JSON of every kind is accepted, as Foundation accepts it")
    func acceptsValidJSON() {
        for text in Self.valid {
            let data = Data(text.utf8)
            #expect(JSONScanner.isValid(data), "\(text)")
            #expect(Self.foundationAccepts(data), "\(text)")
        }
    }

    @Test("malformed JSON is refused, as Go's encoding/json refuses it (and Foundation, but for trailing commas)")
    func refusesMalformedJSON() {
        for text in Self.invalid {
            let data = Data(text.utf8)
            #expect(!JSONScanner.isValid(data), "\(text)")
            #expect(!Self.foundationAccepts(data), "\(text)")
        }
    }

    @Test("a string that is not UTF-8 is not valid JSON to the envelope")
    func refusesInvalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]] {
            #expect(!JSONScanner.isValid(Data(bytes)), "\(bytes)")
            #expect(!Self.foundationAccepts(Data(bytes)), "\(bytes)")
        }
    }

    @Test("nesting deeper than 512 levels is refused without exhausting the stack")
    func boundsNesting() {
        #expect(JSONScanner.isValid(Data((String(repeating: "[", count: 512) + String(repeating: "]", count: 512)).utf8)))
        #expect(!JSONScanner.isValid(Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)))
    }

    @Test("mutations of valid JSON get the same answer from the scanner and from Foundation")
    func agreesWithFoundationOnMutations() {
        var random = SplitMix64(seed: 7)
        let alphabet = Array(#"{}[]",:0123456789-+.eE\/u tfnrlsa"#.utf8) + [0x0A, 0x01, 0xC3, 0xA9]
        var checked = 0
        for text in Self.valid where text.utf8.count > 1 {
            for _ in 0..<300 {
                var bytes = Array(text.utf8)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] = alphabet.randomElement(using: &random)!
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: Int.random(in: 0...bytes.count, using: &random))
                default: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
                }
                let data = Data(bytes)
                #expect(JSONScanner.isValid(data) == Self.foundationAccepts(data), "\(String(decoding: bytes, as: UTF8.self))")
                checked += 1
            }
        }
        #expect(checked > 5_000)
    }

    @Test("an envelope splits into its members, each value's bytes exactly as sent")
    func splitsMembers() throws {
        let object = try RawJSONObject(parsing: Data(#" {"id" : "a\"b", "n":12345678901234567890,"data":{"x":[1, 2]} ,"e\u0301":null} "#.utf8))
        #expect(object.members.map(\.key) == ["id", "n", "data", "e\u{301}"])
        #expect(object.string("id") == "a\"b")
        #expect(object.raw("n") == Data("12345678901234567890".utf8))
        #expect(object.raw("data") == Data(#"{"x":[1, 2]}"#.utf8))
        #expect(object.serialized() == Data(#"{"id":"a\"b","n":12345678901234567890,"data":{"x":[1, 2]},"e\#u{301}":null}"#.utf8))
        #expect(throws: JSONScanError.self) { try RawJSONObject(parsing: Data(#"{"data":{"x":]}}"#.utf8)) }
        #expect(throws: JSONScanError.self) { try RawJSONObject(parsing: Data("[1]".utf8)) }
    }

    @Test("strings are quoted with quotes, backslashes and control characters escaped")
    func quotesStrings() throws {
        let text = "plain \"quoted\" back\\slash\nline\ttab\r\u{1}\u{1F}é"
        let quoted = JSONString.quoted(text)
        #expect(String(decoding: quoted, as: UTF8.self) == #""plain \"quoted\" back\\slash\nline\ttab\r\u0001\u001fé""#)
        #expect(try JSONDecoder().decode(String.self, from: quoted) == text)
        var writer = JSONObjectWriter()
        writer.member("s", string: text)
        writer.member(quoting: "a\"\n", raw: Data("[1]".utf8))
        writer.member("b", raw: Data("2".utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: writer.finished()) as? [String: Any])
        #expect(object["s"] as? String == text)
        #expect(object["a\"\n"] as? [Int] == [1])
        #expect(object["b"] as? Int == 2)
    }

    @Test("a run of plain string bytes ends at the first quote, backslash, control or non-ASCII byte, wherever it falls in a word")
    func plainRunsEndAtTheFirstSpecialByte() {
        for special: UInt8 in [0x22, 0x5C, 0x00, 0x1F, 0x80, 0xC3, 0xFF] {
            for position in 0..<20 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 20)
                bytes[position] = special
                // A second special byte later must not hide the first.
                if position + 3 < bytes.count { bytes[position + 3] = 0x22 }
                bytes.withUnsafeBytes { raw in
                    #expect(PlainJSONBytes.end(in: raw, from: 0) == position, "byte \(special) at \(position)")
                    #expect(PlainJSONBytes.end(in: raw, from: position + 1) == (position + 3 < 20 ? position + 3 : 20))
                }
            }
        }
        [UInt8](repeating: 0x7E, count: 13).withUnsafeBytes { #expect(PlainJSONBytes.end(in: $0, from: 2) == 13) }
    }
}
