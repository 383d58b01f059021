import MeshKit
import Testing

/// Merge keys (`<<`) mean in MeshKit what they mean in Dapr, whose go-yaml resolves them: keys
/// written in the mapping win, then earlier merged mappings win over later ones.
@Suite("YAML merge keys are resolved as Dapr resolves them")
struct YAMLMergeKeyTests {
    private func resiliency(_ retries: String) throws -> ResiliencyResource {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: merged
            spec:
              policies:
                retries:
            \(retries)
              targets: {}
            """
        return try #require(try ResourceLoader.parse(yaml: yaml, file: "merged.yaml").resiliencies.first)
    }

    @Test("a retry policy merged from a base keeps the base's duration and its own maxRetries")
    func mergedRetryPolicy() throws {
        let loaded = try resiliency(
            """
                  base: &base
                    policy: constant
                    duration: 2s
                    maxRetries: 3
                  orders:
                    <<: *base
                    maxRetries: 7
            """
        )
        // What Dapr loads: duration 2s from the base, maxRetries 7 written in the policy.
        #expect(loaded.retries["orders"] == .constant(.seconds(2), maxRetries: 7))
        #expect(loaded.retries["base"] == .constant(.seconds(2), maxRetries: 3))
    }

    @Test("a key written before the merge key still wins over the merged one")
    func explicitKeyWinsWherever() throws {
        let loaded = try resiliency(
            """
                  base: &base {policy: constant, duration: 2s, maxRetries: 3}
                  orders:
                    maxRetries: 9
                    <<: *base
            """
        )
        #expect(loaded.retries["orders"] == .constant(.seconds(2), maxRetries: 9))
    }

    @Test("of a list of merged mappings, the earlier one wins, and merged mappings may merge others")
    func earlierMergeWinsAndNests() throws {
        let loaded = try resiliency(
            """
                  slow: &slow {policy: constant, duration: 10s}
                  fast: &fast {<<: *slow, duration: 1s, maxRetries: 2}
                  orders:
                    <<: [*fast, *slow]
            """
        )
        #expect(loaded.retries["orders"] == .constant(.seconds(1), maxRetries: 2))
    }

    @Test("merge keys work in every kind: component metadata items and a subscription's spec")
    func everyKind() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: store}
            spec:
              type: state.in-memory
              metadata:
              - &item {name: keyPrefix, value: name}
              - <<: *item
                name: ttlInSeconds
            ---
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata: {name: orders}
            spec: &spec
              <<: {pubsubname: pubsub, topic: orders}
              routes: {default: /orders}
            """
        let resources = try ResourceLoader.parse(yaml: yaml, file: "kinds.yaml")
        let items = try #require(resources.components.first).metadata
        #expect(items.map(\.name) == ["keyPrefix", "ttlInSeconds"])
        #expect(items.last?.value == .literal("name"))
        let subscription = try #require(resources.subscriptions.first)
        #expect(subscription.pubsubName == "pubsub")
        #expect(subscription.topic == "orders")
    }

    @Test("a merge key whose value is not a mapping is an error naming the field, as in go-yaml")
    func mergeOfNonMapping() throws {
        let error = try #require(throws: MeshError.self) {
            try resiliency(
                """
                      orders:
                        <<: [not, mappings]
                        maxRetries: 7
                """
            )
        }
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "merged.yaml")
        #expect(error.context.field == "spec.policies.retries.orders.<<")
        #expect(error.context.line == 9)
    }

    @Test("a quoted \"<<\" is an ordinary key, not a merge")
    func quotedKeyIsNotAMerge() throws {
        let loaded = try resiliency(
            """
                  base: &base {policy: constant, duration: 2s}
                  orders:
                    "<<": *base
                    maxRetries: 7
            """
        )
        #expect(loaded.retries["orders"] == .constant(.seconds(5), maxRetries: 7))
    }
}
