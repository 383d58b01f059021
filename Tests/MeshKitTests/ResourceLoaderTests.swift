import Foundation
import MeshKit
import MeshKitTesting
import Testing

@Suite("Loading Dapr resources")
struct ResourceLoaderTests {
    @Test("a multi-document file loads every document, of every kind")
    func multiDocument() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: orders
            spec:
              type: state.in-memory
              version: v1
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: policies
            spec:
              policies:
                timeouts:
                  general: 2s
              targets:
                components:
                  orders:
                    outbound:
                      timeout: general
            ---
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: sub
            spec:
              pubsubname: pubsub
              topic: t
              routes:
                rules:
                - match: event.type == "a"
                  path: /a
                default: /other
            ---
            # an empty document is allowed
            """
        let resources = try ResourceLoader.parse(yaml: yaml, file: "all.yaml")
        #expect(resources.components.map(\.name) == ["orders"])
        #expect(resources.components[0].header.source == ResourceSource(file: "all.yaml", line: 1))
        #expect(resources.resiliencies.first?.timeouts["general"] == .seconds(2))
        #expect(resources.subscriptions.first?.routes.rules.map(\.route) == ["/a"])
        #expect(resources.subscriptions.first?.routes.defaultRoute == "/other")
    }

    @Test("a v1alpha1 Subscription's single route is its default route")
    func v1alpha1Subscription() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Subscription
            metadata:
              name: old
            spec:
              pubsubname: pubsub
              topic: t
              route: /legacy
            scopes: [a, b]
            """
        let subscription = try #require(try ResourceLoader.parse(yaml: yaml, file: "old.yaml").subscriptions.first)
        #expect(subscription.routes.defaultRoute == "/legacy")
        #expect(subscription.header.scopes == ["a", "b"])
    }

    @Test("a component scoped to other apps is not loaded for this one")
    func componentScopes() async throws {
        let scoped = ComponentResource(name: "private-store", type: "state.in-memory", metadata: [:], scopes: ["billing"])
        let billing = try await makeMesh(appID: "billing", components: [scoped])
        try await billing.saveState(store: "private-store", key: "k", value: 1)
        let orders = try await makeMesh(appID: "orders", components: [scoped])
        await #expect { try await orders.getState(store: "private-store", key: "k") } throws: { isMeshError($0, .stateStoreNotFound) }
    }

    @Test("secretKeyRef values come from the secret store, envRef values from the environment")
    func secretAndEnvironmentReferences() async throws {
        setenv("MESHKIT_TEST_PREFIX", "from-env", 1)
        setenv("MESHKIT_SECRET_DB_PREFIX", "from-secret", 1)
        let folder = try ResourceFolder()
        defer { folder.remove() }
        try folder.write(
            "components.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: envsecrets
            spec:
              type: secretstores.local.env
              metadata:
              - name: prefix
                value: MESHKIT_SECRET_
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: by-secret
            spec:
              type: state.in-memory
              metadata:
              - name: keyPrefix
                secretKeyRef:
                  name: DB_PREFIX
                  key: DB_PREFIX
            auth:
              secretStore: envsecrets
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: by-env
            spec:
              type: state.in-memory
              metadata:
              - name: keyPrefix
                envRef: MESHKIT_TEST_PREFIX
            """
        )
        let network = InProcessNetwork()
        let mesh = try await Mesh(appID: "app", resourcesPath: folder.path, configuration: .testing(network: network))
        try await mesh.saveState(store: "by-secret", key: "k", value: 1)
        try await mesh.saveState(store: "by-env", key: "k", value: 1)
        #expect(InMemoryStateStore.instance(named: "by-secret", in: network).storedKeys() == ["from-secret||k"])
        #expect(InMemoryStateStore.instance(named: "by-env", in: network).storedKeys() == ["from-env||k"])
        #expect(try await mesh.getSecret(store: "envsecrets", key: "DB_PREFIX") == ["DB_PREFIX": "from-secret"])
    }

    @Test("a secretKeyRef to a missing secret names the component and the field")
    func missingSecret() async throws {
        let component = ComponentResource(
            name: "store",
            type: "state.in-memory",
            metadata: [ComponentMetadataItem(name: "keyPrefix", source: .secretKeyRef(name: "NOPE_NOT_SET", key: "NOPE_NOT_SET"))]
        )
        let secrets = ComponentResource(name: "env", type: "secretstores.local.env")
        let error = try await #require(throws: MeshError.self) { try await makeMesh(components: [secrets, component]) }
        #expect(error.code == .missingMetadata)
        #expect(error.context.component == "store")
        #expect(error.context.field == "spec.metadata.keyPrefix")
    }

    @Test("Go durations parse as Dapr writes them")
    func durations() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: d
            spec:
              policies:
                timeouts:
                  a: 1m30s
                  b: 250ms
                  c: 1h
                  d: "0"
            """
        let timeouts = try #require(try ResourceLoader.parse(yaml: yaml, file: "d.yaml").resiliencies.first).timeouts
        #expect(timeouts == ["a": .seconds(90), "b": .milliseconds(250), "c": .seconds(3600), "d": .zero])
        let bad = yaml.replacingOccurrences(of: "250ms", with: "250 parsecs")
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: bad, file: "d.yaml") }
        #expect(error.context.field == "spec.policies.timeouts.b")
    }
}
