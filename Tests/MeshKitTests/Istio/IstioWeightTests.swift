import MeshKit
import Testing

@Suite("Istio weighted destinations")
struct IstioWeightTests {
    private func route(_ weights: [Int]) -> HTTPRoute {
        HTTPRoute(
            route: weights.enumerated().map {
                HTTPRouteDestination(destination: Destination(host: "product-service", subset: "s\($0.offset)"), weight: $0.element)
            }
        )
    }

    private func shares(_ route: HTTPRoute, picks: Int = 100_000) -> [String: Double] {
        var generator = SplitMix64(seed: 42)
        var counts: [String: Int] = [:]
        for _ in 0..<picks {
            counts[route.pickDestination(using: &generator)?.destination.subset ?? "none", default: 0] += 1
        }
        return counts.mapValues { Double($0) / Double(picks) }
    }

    @Test("90/10 splits calls roughly 90/10")
    func ninetyTen() {
        let result = shares(route([90, 10]))
        #expect(abs((result["s0"] ?? 0) - 0.9) < 0.01)
        #expect(abs((result["s1"] ?? 0) - 0.1) < 0.01)
    }

    @Test("weights are relative: 2 and 1 split two to one; a weight of 0 never gets a call")
    func relative() {
        let result = shares(route([2, 1, 0]))
        #expect(abs((result["s0"] ?? 0) - 2.0 / 3) < 0.01)
        #expect(abs((result["s1"] ?? 0) - 1.0 / 3) < 0.01)
        #expect(result["s2"] == nil)
    }

    @Test("a route's only destination takes every call, whatever its weight")
    func single() {
        #expect(route([0]).pickDestination(roll: 0.7)?.destination.subset == "s0")
        #expect(route([100]).pickDestination(roll: 0.999)?.destination.subset == "s0")
    }

    @Test("rolls map to the cumulative ranges in order")
    func rolls() {
        let split = route([90, 10])
        #expect(split.pickDestination(roll: 0)?.destination.subset == "s0")
        #expect(split.pickDestination(roll: 0.899)?.destination.subset == "s0")
        #expect(split.pickDestination(roll: 0.9)?.destination.subset == "s1")
        #expect(split.pickDestination(roll: 1)?.destination.subset == "s1")
    }
}
