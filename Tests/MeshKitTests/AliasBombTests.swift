import MeshKit
import Testing

/// A small file cannot expand through YAML aliases into an unbounded tree: walking it is charged
/// to a budget, and a file past it is refused as go-yaml refuses "excessive aliasing".
@Suite("YAML alias bombs are refused with a typed error, in bounded memory")
struct AliasBombTests {
    /// A "billion laughs" of `levels` levels, each a list of nine aliases to the level below.
    private static func laughs(levels: Int, indent: String) -> String {
        var lines = ["\(indent)l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1..<levels {
            let below = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("\(indent)l\(level): &l\(level) [\(below)]")
        }
        return lines.joined(separator: "\n")
    }

    @Test("a billion laughs in nameResolution.configuration is refused naming the file and field")
    func billionLaughsInConfiguration() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: bomb
            spec:
              nameResolution:
                component: mdns
                configuration:
            \(Self.laughs(levels: 10, indent: "      "))
            """
        #expect(yaml.utf8.count < 1_500)
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "bomb.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "bomb.yaml")
        #expect(error.context.field?.hasPrefix("spec.nameResolution.configuration.l") == true)
        #expect(error.description.contains("excessive aliasing"))
    }

    @Test("the same bomb in a section MeshKit ignores loads, since it is never expanded")
    func bombInIgnoredSection() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: ignored
            spec:
              metric:
            \(Self.laughs(levels: 10, indent: "    "))
            """
        let configuration = try #require(try ResourceLoader.parse(yaml: yaml, file: "ignored.yaml").configurations.first)
        #expect(configuration.ignoredSections == ["metric"])
    }

    @Test("a bomb built from merge keys of empty mappings is refused, not looped over")
    func mergeKeyBomb() throws {
        var lines = ["      m0: &m0 {}"]
        for level in 1..<40 {
            let below = Array(repeating: "*m\(level - 1)", count: 4).joined(separator: ", ")
            lines.append("      m\(level): &m\(level) {<<: [\(below)]}")
        }
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: merges
            spec:
              nameResolution:
                component: mdns
                configuration:
            \(lines.joined(separator: "\n"))
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "merges.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.description.contains("excessive aliasing"))
    }

    @Test("moderate reuse of anchors, as real files use them, still loads")
    func moderateAliasesLoad() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: reuse
            spec:
              nameResolution:
                component: static
                configuration:
                  defaults: &defaults {port: 3500, labels: {zone: a, tier: web}}
                  apps:
                    orders: *defaults
                    billing: *defaults
                    shipping: *defaults
            """
        let configuration = try #require(try ResourceLoader.parse(yaml: yaml, file: "reuse.yaml").configurations.first)
        let apps = configuration.nameResolution?.configuration?["apps"]
        #expect(apps?["billing"]?["labels"]?["zone"] == .string("a"))
    }
}

@Suite("Aliased mapping keys are bounded before Yams hashes them")
struct AliasedKeyBombTests {
    @Test("a bomb used as a mapping key (found by fuzzing) is refused at once, naming the file and line", .timeLimit(.minutes(1)))
    func aliasedKeyBomb() throws {
        var lines = [
            "apiVersion: dapr.io/v1alpha1", "kind: Configuration", "metadata:", "  name: bomb", "spec:",
            "  metric:", "    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
        ]
        for level in 1..<9 {
            lines.append("    l\(level): &l\(level) [\(Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", "))]")
        }
        lines.append("    keyed: [?*l8, plain]")
        let start = ContinuousClock.now
        let error = try #require(throws: MeshError.self) {
            try ResourceLoader.parse(yaml: lines.joined(separator: "\n"), file: "keyed.yaml")
        }
        #expect(ContinuousClock.now - start < .seconds(10), "refused before Yams hashes the key")
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "keyed.yaml")
        #expect(error.context.line == 16)
        #expect(error.description.contains("excessive aliasing"))
    }

    @Test("an alias used as a small mapping key still loads")
    func smallAliasedKey() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: keys
            spec:
              metric:
                names: [&first a, b]
                byName: { *first : 1 }
            """
        let resources = try ResourceLoader.parse(yaml: yaml, file: "keys.yaml")
        #expect(resources.configurations.count == 1)
    }
}
