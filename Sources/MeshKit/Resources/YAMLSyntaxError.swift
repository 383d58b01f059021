import Foundation
import Yams

/// Turns a Yams syntax error into a ``MeshError`` that names the file, the line and the field.
enum YAMLSyntaxError {
    static func meshError(from error: YamlError, yaml: String, file: String) -> MeshError {
        let problem: String
        let mark: Mark?
        switch error {
        case .scanner(let context, let text, let where_, _),
            .parser(let context, let text, let where_, _),
            .composer(let context, let text, let where_, _):
            problem = [context?.text, text].compactMap { $0 }.joined(separator: ": ")
            mark = where_
        case .duplicatedKeysInMapping(let duplicates, let context):
            problem = "duplicate keys \(duplicates.joined(separator: ", "))"
            mark = context.mark
        default:
            problem = "\(error)"
            mark = nil
        }
        return MeshError(
            .malformedResource,
            "the file is not valid YAML: \(problem)",
            context: .init(file: file, line: mark?.line, field: mark.flatMap { field(near: $0.line, in: yaml) }),
            underlying: error
        )
    }

    /// The key written on `line`, or on the nearest line above it that has one: the field being
    /// written when the syntax broke.
    static func field(near line: Int, in yaml: String) -> String? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        var index = min(line, lines.count) - 1
        while index >= 0 {
            let text = lines[index].drop { $0 == " " || $0 == "-" || $0 == "\t" }
            if let colon = text.firstIndex(of: ":"), !text.hasPrefix("#") {
                let key = text[..<colon].trimmingCharacters(in: .whitespaces)
                if !key.isEmpty, !key.contains(" ") { return key }
            }
            index -= 1
        }
        return nil
    }
}
