import HTTPTypes
import MeshKit
import MeshKitTesting
import Synchronization
import Testing

/// A filter of the app's own that answers a call itself, as a filter serving cached answers
/// would, whenever it can make a result of the call's type from a status.
struct AnsweringFilter: CallFilter {
    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        if let answer = 503 as? Result { return answer }
        return try await next(call)
    }
}

@Suite("a request the app's own server answers, under the app's inbound policies")
struct InboundPoliciesTests {
    @Test("withInboundPolicies returns what the route returned, and the route runs once")
    func returnsTheRoutesResult() async throws {
        let mesh = try await Mesh(appID: "shop", configuration: .testing())
        let runs = Mutex(0)
        let answer = try await mesh.withInboundPolicies(method: .get, route: "/orders/{id}", headers: [:], status: { $0.status }) {
            runs.withLock { $0 += 1 }
            return RouteAnswer(status: 201, body: "order 7")
        }
        #expect(answer == RouteAnswer(status: 201, body: "order 7"))
        #expect(runs.withLock { $0 } == 1)
    }

    @Test("a filter that answers without running the route is a clear error, not a crash")
    func filterAnsweringForTheRoute() async throws {
        var configuration = MeshConfiguration.testing()
        configuration.editStack = { stack, target in
            if target == .appInbound("shop") { stack.prepend("answering", AnsweringFilter()) }
        }
        let mesh = try await Mesh(appID: "shop", configuration: configuration)
        let error = await #expect(throws: MeshError.self) {
            try await mesh.withInboundPolicies(method: .get, route: "/hello", headers: [:], status: { $0.status }) {
                RouteAnswer(status: 200, body: "hello")
            }
        }
        #expect(error?.message.contains("answered without running the request") == true)
    }
}

/// What a route of the app's own server returns, in these tests.
struct RouteAnswer: Sendable, Equatable {
    let status: Int
    let body: String
}
