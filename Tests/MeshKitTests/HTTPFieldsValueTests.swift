import HTTPTypes
import Testing

@testable import MeshKit

/// `HTTPFields.value(of:)`, the single-scan read of trace and MeshKit headers, must read what
/// `HTTPFields`' own subscript reads.
@Suite struct HTTPFieldsValueTests {
    @Test("reads the same value as the subscript: none, one, several joined, cookies joined by semicolons")
    func readsWhatTheSubscriptReads() {
        let traceparent = HTTPField.Name("traceparent")!
        let cases: [HTTPFields] = [
            [:],
            [traceparent: "00-a-b-01"],
            [.accept: "text/plain", traceparent: "00-a-b-01", .contentType: "text/plain"],
            HTTPFields([HTTPField(name: traceparent, value: "one"), HTTPField(name: .accept, value: "*/*"), HTTPField(name: traceparent, value: "two")]),
            HTTPFields([HTTPField(name: .cookie, value: "a=1"), HTTPField(name: .cookie, value: "b=2")]),
        ]
        for fields in cases {
            for name in [traceparent, .cookie, .accept, .contentType] {
                #expect(fields.value(of: name) == fields[name], "\(name) in \(fields)")
            }
        }
        #expect(cases[3].value(of: traceparent) == "one, two")
        #expect(cases[4].value(of: .cookie) == "a=1; b=2")
    }
}
