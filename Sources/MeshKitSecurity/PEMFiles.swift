import Foundation
import MeshKit
import SwiftASN1
import X509

/// Reading and writing the PEM files of certificates and keys.
enum PEMFiles {
    static func pem(of certificate: Certificate) throws(MeshError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString + "\n"
        } catch {
            throw MeshError(.invalidConfiguration, "a certificate could not be encoded as PEM: \(error)", underlying: error)
        }
    }

    static func createDirectory(_ directory: URL) throws(MeshError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw MeshError(.invalidConfiguration, "the directory could not be created: \(error)", context: .init(file: directory.path))
        }
    }

    /// Writes `text` to a temporary file next to `url` and renames it over `url`, so readers see
    /// the old file or the new one, never a part; a private file is created with mode 0600.
    static func write(_ text: String, to url: URL, private isPrivate: Bool) throws(MeshError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UInt64.random(in: 0...UInt64.max))"
        )
        let attributes: [FileAttributeKey: Any] = [.posixPermissions: isPrivate ? 0o600 : 0o644]
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: attributes) else {
            throw MeshError(.invalidConfiguration, "the file could not be written", context: .init(file: temporary.path))
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw MeshError(.invalidConfiguration, "the file could not be replaced", context: .init(file: url.path))
        }
    }

    /// The PEM blocks of `text` with their labels, in order; throws naming `file` when there
    /// is none or one does not decode.
    static func documents(in text: String, file: String) throws(MeshError) -> [PEMDocument] {
        var documents: [PEMDocument] = []
        var remaining = Substring(text)
        while let begin = remaining.range(of: "-----BEGIN ") {
            guard let endMarker = remaining.range(of: "-----END ", range: begin.upperBound..<remaining.endIndex),
                let lineEnd = remaining.range(of: "-----", range: endMarker.upperBound..<remaining.endIndex)
            else {
                throw MeshError(.invalidConfiguration, "malformed PEM: a BEGIN line has no END line", context: .init(file: file))
            }
            let block = String(remaining[begin.lowerBound..<lineEnd.upperBound])
            do {
                documents.append(try PEMDocument(pemString: block))
            } catch {
                throw MeshError(.invalidConfiguration, "malformed PEM: \(error)", context: .init(file: file), underlying: error)
            }
            remaining = remaining[lineEnd.upperBound...]
        }
        guard !documents.isEmpty else {
            throw MeshError(.invalidConfiguration, "malformed PEM: the file holds no PEM block", context: .init(file: file))
        }
        return documents
    }
}
