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
        #expect(InvocationPath(target: "/elsewhere") == .unknown)
    }

    @Test("query items: `+` is a space, escapes are decoded, a name alone has no value, empty pairs are skipped")
    func query() {
        let items = InvocationPath.queryItems(target: "/p?q=a+b%2Bc&flag&&bad=%zz&e=")
        #expect(items.map(\.name) == ["q", "flag", "bad", "e"])
        #expect(items.map(\.value) == ["a b+c", nil, "%zz", ""])
        #expect(InvocationPath.queryItems(target: "/p").isEmpty)
    }
}
