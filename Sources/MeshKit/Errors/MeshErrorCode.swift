extension MeshError {
    /// The kind of a ``MeshError``.
    ///
    /// An open set: new codes can be added without breaking users. Each code maps to the error
    /// code Dapr's API returns for the same failure (``daprCode``), so logs and dashboards read
    /// the same as they do with a Dapr sidecar.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case stateStoreNotFound, stateStoreNotConfigured, stateGet, stateSave, stateDelete
            case stateTransaction, etagMismatch, etagInvalid, malformedRequest
            case pubsubNotFound, pubsubNotConfigured, pubsubPublish, topicNameEmpty, cloudEventMalformed
            case appNotFound, invocationFailed
            case secretStoreNotFound, secretNotFound
            case malformedResource, missingField, unknownKind, unknownComponentType
            case missingMetadata, invalidMetadata, invalidConfiguration, componentInitFailed
            case duplicateAppID, unavailable, timeout, cancelled
            case connectFailed, resourceExhausted, circuitOpen, tooManyRequests, deadlineExceeded, faultInjected
        }

        private let base: Base
        /// The error code Dapr uses for this failure, such as `ERR_STATE_STORE_NOT_FOUND`.
        public let daprCode: String

        private init(_ base: Base, _ daprCode: String) {
            self.base = base
            self.daprCode = daprCode
        }

        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.base == rhs.base }

        /// The HTTP status that reports this failure, as Dapr's HTTP API answers it: 400 for a
        /// malformed request, 404 for an unknown component, 409 for an ETag mismatch, 429 when a
        /// limit rejects the call, 503 when a backend or breaker refuses it, 504 on a timeout.
        public var httpStatus: Int {
            switch base {
            case .malformedRequest, .etagInvalid, .topicNameEmpty, .cloudEventMalformed: 400
            case .stateStoreNotFound, .pubsubNotFound, .secretStoreNotFound, .secretNotFound, .appNotFound: 404
            case .etagMismatch: 409
            case .tooManyRequests: 429
            case .unavailable, .connectFailed, .circuitOpen, .stateStoreNotConfigured, .pubsubNotConfigured: 503
            case .timeout, .deadlineExceeded: 504
            default: 500
            }
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(base) }
        public var description: String { daprCode }

        // MARK: State

        /// The named state store does not exist for this app.
        public static let stateStoreNotFound = Code(.stateStoreNotFound, "ERR_STATE_STORE_NOT_FOUND")
        /// No state store is configured at all.
        public static let stateStoreNotConfigured = Code(.stateStoreNotConfigured, "ERR_STATE_STORES_NOT_CONFIGURED")
        /// The store failed to read a key.
        public static let stateGet = Code(.stateGet, "ERR_STATE_GET")
        /// The store failed to write a key.
        public static let stateSave = Code(.stateSave, "ERR_STATE_SAVE")
        /// The store failed to delete a key.
        public static let stateDelete = Code(.stateDelete, "ERR_STATE_DELETE")
        /// A transaction failed; nothing of it was applied.
        public static let stateTransaction = Code(.stateTransaction, "ERR_STATE_TRANSACTION")
        /// The ETag given does not match the stored one (Dapr answers HTTP 409).
        public static let etagMismatch = Code(.etagMismatch, "ERR_ETAG_MISMATCH")
        /// The ETag given is not one this store can have issued (Dapr answers HTTP 400).
        public static let etagInvalid = Code(.etagInvalid, "ERR_ETAG_INVALID")
        /// A request is malformed: an empty key, a key containing `||`, a non-numeric TTL.
        public static let malformedRequest = Code(.malformedRequest, "ERR_MALFORMED_REQUEST")

        // MARK: Pub/sub

        /// The named pub/sub component does not exist for this app.
        public static let pubsubNotFound = Code(.pubsubNotFound, "ERR_PUBSUB_NOT_FOUND")
        /// No pub/sub component is configured at all.
        public static let pubsubNotConfigured = Code(.pubsubNotConfigured, "ERR_PUBSUB_NOT_CONFIGURED")
        /// The component failed to publish.
        public static let pubsubPublish = Code(.pubsubPublish, "ERR_PUBSUB_PUBLISH_MESSAGE")
        /// A topic name is empty.
        public static let topicNameEmpty = Code(.topicNameEmpty, "ERR_TOPIC_NAME_EMPTY")
        /// A payload declared as a CloudEvent is not one.
        public static let cloudEventMalformed = Code(.cloudEventMalformed, "ERR_PUBSUB_CLOUD_EVENTS_SER")

        // MARK: Invocation

        /// No app with this ID can be reached.
        public static let appNotFound = Code(.appNotFound, "ERR_DIRECT_INVOKE")
        /// The invocation could not be carried out.
        public static let invocationFailed = Code(.invocationFailed, "ERR_DIRECT_INVOKE")

        // MARK: Secrets

        /// The named secret store does not exist for this app.
        public static let secretStoreNotFound = Code(.secretStoreNotFound, "ERR_SECRET_STORE_NOT_FOUND")
        /// The secret store has no secret with this key.
        public static let secretNotFound = Code(.secretNotFound, "ERR_SECRET_GET")

        // MARK: Resources and components

        /// A resource file is not valid YAML, or a field has the wrong shape.
        public static let malformedResource = Code(.malformedResource, "ERR_RESOURCE_MALFORMED")
        /// A resource lacks a field it must have, such as `apiVersion`, `kind` or `metadata.name`.
        public static let missingField = Code(.missingField, "ERR_RESOURCE_FIELD_MISSING")
        /// A resource's `kind` is not one MeshKit loads.
        public static let unknownKind = Code(.unknownKind, "ERR_RESOURCE_KIND_UNKNOWN")
        /// A component's `spec.type` is not registered.
        public static let unknownComponentType = Code(.unknownComponentType, "ERR_COMPONENT_TYPE_UNKNOWN")
        /// A component lacks metadata it requires.
        public static let missingMetadata = Code(.missingMetadata, "ERR_COMPONENT_METADATA_MISSING")
        /// A component's metadata value cannot be used.
        public static let invalidMetadata = Code(.invalidMetadata, "ERR_COMPONENT_METADATA_INVALID")
        /// A configuration value is inconsistent, such as two components with the same name.
        public static let invalidConfiguration = Code(.invalidConfiguration, "ERR_CONFIGURATION_INVALID")
        /// A component could not be initialised.
        public static let componentInitFailed = Code(.componentInitFailed, "ERR_COMPONENT_INIT")
        /// Another live mesh in this process already uses the app ID.
        public static let duplicateAppID = Code(.duplicateAppID, "ERR_APP_ID_DUPLICATE")

        // MARK: Transport

        /// The backend cannot be reached.
        public static let unavailable = Code(.unavailable, "ERR_UNAVAILABLE")
        /// The operation did not finish in time.
        public static let timeout = Code(.timeout, "ERR_TIMEOUT")
        /// The operation was cancelled.
        public static let cancelled = Code(.cancelled, "ERR_CANCELLED")
        /// No connection could be made (DNS failure, refused, connect timeout): the request was
        /// never sent, so even a non-idempotent call may be retried.
        public static let connectFailed = Code(.connectFailed, "ERR_CONNECT")
        /// A local resource ran out or a local limit was hit: no socket could be opened (the
        /// process or system is out of file descriptors), or a response exceeded the size the
        /// caller accepts. Trying again at once cannot help, so it is never retried and does not
        /// count against the peer's circuit breaker.
        public static let resourceExhausted = Code(.resourceExhausted, "ERR_RESOURCE_EXHAUSTED")

        // MARK: Policies

        /// The target's circuit breaker is open: the call failed fast without being attempted.
        public static let circuitOpen = Code(.circuitOpen, "ERR_CIRCUIT_OPEN")
        /// A concurrency limit or rate limit rejected the call (HTTP 429).
        public static let tooManyRequests = Code(.tooManyRequests, "ERR_TOO_MANY_REQUESTS")
        /// The call's overall deadline passed, across every retry.
        public static let deadlineExceeded = Code(.deadlineExceeded, "ERR_DEADLINE_EXCEEDED")
        /// Fault injection aborted the call, as configured for testing resilience.
        public static let faultInjected = Code(.faultInjected, "ERR_FAULT_INJECTED")
    }
}
