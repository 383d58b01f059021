import Foundation
import Testing

@testable import MeshKitHTTP

@Suite struct InvocationPathTests {
    @Test("paths are routed and percent-decoded per segment; malformed escapes are kept as they came")
    func paths() {
        #expect(InvocationPath(target: "/v1.0/healthz") == .health)
        #expect(InvocationPath(target: "/v1.0/invoke/orders/method/items/42?x=1") == .invoke(appID: "orders", method: "items/42"))
        #expect(InvocationPath(target: "/v1.0/invoke/my%20app/method/caf%C3%A9/a%2Fb") == .invoke(appID: "my app", method: "café/a/b"))
        #expect(InvocationPath(target: "/v1.0/invoke/orders/method/100%/x") == .invoke(appID: "orders", method: "100%/x"))
        #expect(InvocationPath(target: "/v1.0/invoke/orders/method/") == .unknown)
        #expect(InvocationPath(target: "/v1.0/invoke/orders") == .unknown)
        #expect(InvocationPath(target: "/v1.0/state/statestore") == .unknown)
        #expect(InvocationPath(target: "/v1.0-alpha1/workflows") == .unknown)
        #expect(InvocationPath(target: "/v1.0/healthz/outbound") == .outboundHealth)
    }

    @Test("a path outside Dapr's API is this app's method, and `dapr-app-id` names the app as in Dapr")
    func appStylePaths() {
        #expect(InvocationPath(target: "/elsewhere/1?x") == .invoke(appID: nil, method: "elsewhere/1"))
        #expect(InvocationPath(target: "/orders", appIDHeader: "shop") == .invoke(appID: "shop", method: "orders"))
        #expect(
            InvocationPath(target: "/v1.0/invoke/a/method/b", appIDHeader: "shop")
                == .invoke(appID: "shop", method: "v1.0/invoke/a/method/b")
        )
        #expect(InvocationPath(target: "/v1.0/healthz", appIDHeader: "shop") == .health)
    }

    @Test("methods are cleaned as Go's path.Clean cleans a rooted path: `..` stops at the root")
    func cleaning() {
        #expect(InvocationPath.cleanedMethod("x/../hello") == "hello")
        #expect(InvocationPath.cleanedMethod("/a/./b//c/") == "a/b/c")
        #expect(InvocationPath.cleanedMethod("../../v1.0/healthz") == "v1.0/healthz")
        #expect(InvocationPath.cleanedMethod("a%2F..%2F..%2Fb") == "b")
        #expect(InvocationPath.cleanedMethod("%2E%2E/%2e%2e/c") == "c")
        #expect(InvocationPath.cleanedMethod("caf%C3%A9/100%") == "café/100%")
        #expect(InvocationPath.cleanedMethod("..") == "")
    }

    @Test("query items: `+` is a space, escapes are decoded, a name alone has no value, empty pairs are skipped")
    func query() {
        let items = InvocationPath.queryItems(target: "/p?q=a+b%2Bc&flag&&bad=%zz&e=")
        #expect(items.map(\.name) == ["q", "flag", "bad", "e"])
        #expect(items.map(\.value) == ["a b+c", nil, "%zz", ""])
        #expect(InvocationPath.queryItems(target: "/p").isEmpty)
    }

    @Test("a router-facing path has a dot segment when a segment is `.` or `..`, plain or as %2e, before any query")
    func dotSegments() {
        for path in ["/admin/../health", "/a/./b", "/..", ".", "/a/%2e%2E/b", "/a/.%2e", "/a\\..\\b", "/a/..?x=1", "/x/%2e"] {
            #expect(RoutedPath.hasDotSegment(path), "\(path)")
        }
        for path in ["/", "/a/b", "/a/.../b", "/a/.b", "/a/b.", "/a/%2f/b", "/a/%2", "/a/%2x", "/a?p=/../", "/health/live", "", "/a//b"] {
            #expect(!RoutedPath.hasDotSegment(path), "\(path)")
        }
    }
}
