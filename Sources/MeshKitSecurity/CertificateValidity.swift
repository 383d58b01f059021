import Foundation
import MeshKit
import X509

/// The validity window check, with errors that name the file and the window.
enum CertificateValidity {
    static func check(_ certificate: Certificate, now: Date, file: String) throws(MeshError) {
        if now < certificate.notValidBefore {
            throw MeshError(
                .invalidConfiguration,
                "the certificate (serial \(certificate.serialNumber)) is not valid yet: its validity starts \(certificate.notValidBefore)",
                context: .init(file: file)
            )
        }
        if now > certificate.notValidAfter {
            throw MeshError(
                .invalidConfiguration,
                "the certificate (serial \(certificate.serialNumber)) has expired: its validity ended \(certificate.notValidAfter)",
                context: .init(file: file)
            )
        }
    }
}
