import Foundation
import MeshKit
import MeshKitTesting
import Testing

@Suite("Bad input gets a clear, typed error and loses nothing")
struct BadInputTests {
    @Test("malformed YAML names the file, the line and the field")
    func malformedYAML() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: broken
            spec:
              type: state.in-memory
              metadata:
              - name: keyPrefix
                value: "unterminated
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "broken.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "broken.yaml")
        #expect(error.context.line == 9 || error.context.line == 10)
        #expect(error.context.field == "value")
        #expect(error.description.contains("broken.yaml:"))
    }

    @Test("a field with the wrong shape names its path and line")
    func wrongShape() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: shaped
            spec:
              type: state.in-memory
              metadata: "not a list"
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "shaped.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.field == "spec.metadata")
        #expect(error.context.line == 7)
    }

    @Test("a missing kind is named")
    func missingKind() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            metadata:
              name: nameless
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "nokind.yaml") }
        #expect(error.code == .missingField)
        #expect(error.context.field == "kind")
        #expect(error.message.contains("Component"))
    }

    @Test("an unknown kind lists the known kinds")
    func unknownKind() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Gadget
            metadata:
              name: gadget
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "gadget.yaml") }
        #expect(error.code == .unknownKind)
        #expect(error.context.line == 2)
        #expect(error.message.contains("Gadget"))
        #expect(ResourceLoader.knownKinds.allSatisfy { error.message.contains($0) })
    }

    @Test("a missing metadata.name is named")
    func missingName() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              namespace: default
            spec:
              type: state.in-memory
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "noname.yaml") }
        #expect(error.code == .missingField)
        #expect(error.context.field == "metadata.name")
    }

    @Test("an unknown component type names the type and the file and lists the known types")
    func unknownComponentType() async throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        try folder.write(
            "bindings.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: cron
            spec:
              type: bindings.cron
              version: v1
            """
        )
        let error = try await #require(throws: MeshError.self) {
            try await Mesh(appID: "a", resourcesPath: folder.path, configuration: .testing())
        }
        #expect(error.code == .unknownComponentType)
        #expect(error.message.contains("bindings.cron"))
        #expect(error.context.file?.hasSuffix("bindings.yaml") == true)
        #expect(ComponentRegistry.builtIn.knownTypes.allSatisfy { error.message.contains($0) })
    }

    @Test("missing required metadata names the field and the component")
    func missingMetadata() async throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        try folder.write(
            "secrets.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: files
            spec:
              type: secretstores.local.file
              metadata:
              - name: nestedSeparator
                value: ":"
            """
        )
        let error = try await #require(throws: MeshError.self) {
            try await Mesh(appID: "a", resourcesPath: folder.path, configuration: .testing())
        }
        #expect(error.code == .missingMetadata)
        #expect(error.message.contains("secretsFile"))
        #expect(error.context.component == "files")
        #expect(error.context.file?.hasSuffix("secrets.yaml") == true)
    }

    @Test("an invalid metadata value names the field")
    func invalidMetadata() async throws {
        let component = ComponentResource(name: "broker", type: "pubsub.in-memory", metadata: ["maxBufferedMessages": "lots"])
        let error = try await #require(throws: MeshError.self) { try await makeMesh(components: [component]) }
        #expect(error.code == .invalidMetadata)
        #expect(error.context.field == "spec.metadata.maxBufferedMessages")
    }

    @Test("an invalid circuit-breaker trip expression names the file")
    func invalidTrip() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: broken
            spec:
              policies:
                circuitBreakers:
                  cb:
                    trip: consecutiveFailures >=
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "resiliency.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "resiliency.yaml")
        #expect(error.context.field == "spec.policies.circuitBreakers.cb.trip")
        let unknownVariable = try #require(throws: MeshError.self) {
            try ResourceLoader.parse(yaml: yaml.replacingOccurrences(of: ">=", with: "> failures"), file: "resiliency.yaml")
        }
        #expect(unknownVariable.message.contains("failures"))
    }

    @Test("a target naming an undefined policy is rejected")
    func undefinedPolicy() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: dangling
            spec:
              policies:
                retries: {}
              targets:
                apps:
                  billing:
                    retry: missingRetry
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "dangling.yaml") }
        #expect(error.message.contains("missingRetry"))
        #expect(error.context.field == "spec.targets.apps.billing")
    }

    @Test("a non-numeric TTL is rejected and the stored value is kept")
    func nonNumericTTL() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "order", value: Order(id: "1", amount: 5))
        await #expect {
            try await mesh.saveState(
                store: "statestore",
                key: "order",
                value: Order(id: "1", amount: 9),
                metadata: ["ttlInSeconds": "soon"]
            )
        } throws: {
            isMeshError($0, .malformedRequest) && ($0 as? MeshError)?.context.field == "ttlInSeconds"
        }
        await #expect(throws: MeshError.self) {
            try await mesh.saveState(store: "statestore", key: "order", value: 1, metadata: ["ttlInSeconds": "-5"])
        }
        #expect(try await mesh.getState(store: "statestore", key: "order", as: Order.self) == Order(id: "1", amount: 5))
    }

    @Test("empty keys and keys containing || are rejected")
    func badKeys() async throws {
        let mesh = try await makeMesh()
        for key in ["", "a||b"] {
            await #expect { try await mesh.saveState(store: "statestore", key: key, value: 1) } throws: {
                isMeshError($0, .malformedRequest)
            }
            await #expect { try await mesh.getState(store: "statestore", key: key) } throws: { isMeshError($0, .malformedRequest) }
            await #expect { try await mesh.deleteState(store: "statestore", key: key) } throws: { isMeshError($0, .malformedRequest) }
        }
        // A bulk save with one bad key writes nothing.
        let items = [SaveStateItem(key: "good", value: Data("1".utf8)), SaveStateItem(key: "bad||key", value: Data("2".utf8))]
        await #expect(throws: MeshError.self) { try await mesh.saveBulkState(store: "statestore", items: items) }
        #expect(try await mesh.getState(store: "statestore", key: "good") == nil)
    }

    @Test("a malformed ETag is etagInvalid, distinct from a mismatch, and changes nothing")
    func malformedETag() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "k", value: "first")
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: "second", etag: "not-a-version") } throws: {
            isMeshError($0, .etagInvalid)
        }
        await #expect { try await mesh.deleteState(store: "statestore", key: "k", etag: "v1") } throws: {
            isMeshError($0, .etagInvalid)
        }
        #expect(try await mesh.getState(store: "statestore", key: "k", as: String.self) == "first")
    }

    @Test("unknown store, pub/sub and secret store names are distinct errors listing what exists")
    func unknownNames() async throws {
        let mesh = try await makeMesh()
        let store = try await #require(throws: MeshError.self) { try await mesh.getState(store: "nope", key: "k") }
        #expect(store.code == .stateStoreNotFound)
        #expect(store.message.contains("statestore"))
        let pubsub = try await #require(throws: MeshError.self) { try await mesh.publish(pubsub: "nope", topic: "t", value: 1) }
        #expect(pubsub.code == .pubsubNotFound)
        #expect(pubsub.message.contains("pubsub"))
        await #expect(throws: MeshError.pubsubNotFoundError) { try await mesh.subscribe(pubsub: "nope", topic: "t") { _ in .success } }
        await #expect { try await mesh.getSecret(store: "vault", key: "k") } throws: { isMeshError($0, .secretStoreNotFound) }
        await #expect { try await mesh.publish(pubsub: "pubsub", topic: "", value: 1) } throws: { isMeshError($0, .topicNameEmpty) }
    }

    @Test("subscribing twice to one topic is rejected and keeps the first handler")
    func duplicateSubscription() async throws {
        let mesh = try await makeMesh()
        let first = EventRecorder(), second = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: first.handler())
        await #expect { try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: second.handler()) } throws: {
            isMeshError($0, .invalidConfiguration)
        }
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "t", value: 1)
            _ = try await first.waitForEvents(count: 1)
        }
        #expect(second.events.isEmpty)
    }

    @Test("two components with one name are rejected")
    func duplicateComponent() async throws {
        let error = try await #require(throws: MeshError.self) {
            try await makeMesh(components: [
                ComponentResource(name: "store", type: "state.in-memory"),
                ComponentResource(name: "store", type: "pubsub.in-memory"),
            ])
        }
        #expect(error.code == .invalidConfiguration)
    }
}

extension MeshError {
    /// Any error with the pub/sub-not-found code: errors compare by code.
    static let pubsubNotFoundError = MeshError(.pubsubNotFound, "")
}
