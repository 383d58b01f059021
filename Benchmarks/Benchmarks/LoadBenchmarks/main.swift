import Foundation
import MeshKit
import Yams

// Loading a large resource folder with MeshKit against parsing the same files with Yams alone.
// Run by run.sh under /usr/bin/time, one mode per process, so that each peak RSS is its own.
//
//   LoadBenchmarks generate <folder> <megabytes> [files]   writes <megabytes> of Component files
//   LoadBenchmarks meshkit <folder>                ResourceLoader.load(directory:)
//   LoadBenchmarks yams <folder>                   Yams.compose_all of every file (the node tree)
//   LoadBenchmarks yams-any <folder>               Yams.load_all of every file (Swift values)

/// One Component whose `spec.metadata` list is about `bytes` long.
func component(index: Int, bytes: Int) -> String {
    var text = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: store-\(index)
        spec:
          type: state.in-memory
          version: v1
          metadata:

        """
    var item = 0
    while text.utf8.count < bytes {
        text += "  - name: field\(item)\n    value: \"value number \(item) of component \(index)\"\n"
        item += 1
    }
    return text
}

func files(in folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        .map { (folder as NSString).appendingPathComponent($0) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: LoadBenchmarks generate <folder> <megabytes> [files] | meshkit <folder> | yams <folder> | yams-any <folder>")
    exit(2)
}
let folder = arguments[2]
let start = ContinuousClock.now
switch arguments[1] {
case "generate":
    let megabytes = Int(arguments.count > 3 ? arguments[3] : "10") ?? 10
    let count = max(1, Int(arguments.count > 4 ? arguments[4] : "") ?? megabytes)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for index in 0..<count {
        let text = component(index: index, bytes: megabytes * 1_000_000 / count)
        try text.write(toFile: "\(folder)/store-\(index).yaml", atomically: true, encoding: .utf8)
    }
case "meshkit":
    let resources = try ResourceLoader.load(directory: folder)
    let items = resources.components.reduce(0) { $0 + $1.metadata.count }
    print("meshkit: \(resources.components.count) components, \(items) metadata items")
case "yams":
    var nodes = 0
    for file in try files(in: folder) {
        for document in try Yams.compose_all(yaml: try String(contentsOfFile: file, encoding: .utf8)) {
            nodes += document.mapping?["spec"]?.mapping?["metadata"]?.sequence?.count ?? 0
        }
    }
    print("yams: \(nodes) metadata items")
case "yams-any":
    var documents = 0
    for file in try files(in: folder) {
        for _ in try Yams.load_all(yaml: try String(contentsOfFile: file, encoding: .utf8)) { documents += 1 }
    }
    print("yams-any: \(documents) documents")
default:
    print("unknown mode \(arguments[1])")
    exit(2)
}
print("\(arguments[1]): \(ContinuousClock.now - start)")
