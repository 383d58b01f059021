import Testing

@testable import MeshKit

/// Durations read with the grammar of Go's `time.ParseDuration`, which Dapr uses: the same text
/// is the same duration, and what Go refuses (including overflow) is an invalid duration.
@Suite("Durations follow Go's ParseDuration, and an overflow is an invalid duration")
struct GoDurationTests {
    @Test(
        "valid durations are read as Go reads them",
        arguments: [
            ("0", Duration.zero), ("-0", .zero), ("+0", .zero), ("5s", .seconds(5)), ("300ms", .milliseconds(300)),
            ("-1.5h", .seconds(-5400)), ("2h45m", .seconds(9900)), ("1.5s", .milliseconds(1500)), (".5s", .milliseconds(500)),
            ("5.s", .seconds(5)), ("10ns", .nanoseconds(10)), ("1us", .microseconds(1)), ("1µs", .microseconds(1)),
            ("1μs", .microseconds(1)), ("1h1m1s1ms1us1ns", .nanoseconds(3_661_001_001_001)),
            ("2562047h47m16.854775807s", .nanoseconds(Int64.max)), ("-2562047h47m16.854775808s", .nanoseconds(Int64.min)),
            ("0.3333333333333333333333h", .nanoseconds(1_200_000_000_000)),
        ]
    )
    func valid(text: String, expected: Duration) throws {
        #expect(try GoDuration.read(text) == expected)
    }

    @Test(
        "what Go refuses is refused, with Go's reason",
        arguments: [
            ("", "invalid duration"), ("5", "missing unit"), ("s", "invalid duration"), (".s", "invalid duration"),
            ("-", "invalid duration"), ("1d", "unknown unit \"d\""), ("1S", "unknown unit"), (" 5s", "invalid duration"),
            ("5s ", "unknown unit \"s \""), ("1e3s", "unknown unit \"e\""),
            ("10000000000s", "invalid duration"), ("99999999999999999999h", "invalid duration"),
            ("2562047h47m16.854775808s", "invalid duration"), ("9223372036854775808ns", "invalid duration"),
            ("-9223372036854775809ns", "invalid duration"), ("2562047h2562047h", "invalid duration"),
        ]
    )
    func invalid(text: String, reason: String) {
        let error = #expect(throws: GoDuration.Invalid.self) { try GoDuration.read(text) }
        #expect(error?.description.hasPrefix(reason) == true, "\(error?.description ?? "")")
    }

    @Test("an overflowing resiliency duration is an invalid-duration error naming the file, line and field")
    func overflowInResiliency() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: huge
            spec:
              policies:
                timeouts:
                  forever: 99999999999999999999h
                retries:
                  slow:
                    policy: constant
                    duration: 10000000000s
              targets: {}
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "huge.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "huge.yaml")
        #expect(error.context.line == 8)
        #expect(error.context.field == "spec.policies.timeouts.forever")
        #expect(error.description.contains("invalid duration"))

        let retry = yaml.replacingOccurrences(of: "forever: 99999999999999999999h", with: "short: 1s")
        let retryError = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: retry, file: "huge.yaml") }
        #expect(retryError.context.field == "spec.policies.retries.slow.duration")
        #expect(retryError.description.contains("invalid duration"))
    }

    @Test("an overflowing duration in component metadata is an invalid-metadata error")
    func overflowInMetadata() {
        let metadata = ComponentMetadata(["processingTimeout": "10000000000s"], componentName: "orders")
        let error = #expect(throws: MeshError.self) { try metadata.duration("processingTimeout", default: .seconds(60)) }
        #expect(error?.code == .invalidMetadata)
        #expect(error?.context.field == "spec.metadata.processingTimeout")
    }
}
