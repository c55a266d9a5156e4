package org.varsgen.varstore.sig;

import java.security.cert.CertificateException;
import org.varsgen.varstore.Guid;
import org.varsgen.varstore.Le;

/**
 * One EFI_SIGNATURE_DATA: owner GUID and signature bytes, with the certificate decoded when the
 * list type is X.509 ({@code certificate} is null otherwise, or when decoding failed, and then
 * {@code problem} says why).
 */
public record SignatureEntry(Guid type, Guid owner, byte[] data, X509Summary certificate, String problem) {

    static SignatureEntry of(Guid type, Guid owner, byte[] data) {
        if (!type.equals(SignatureTypes.X509)) {
            return new SignatureEntry(type, owner, data, null, null);
        }
        try {
            return new SignatureEntry(type, owner, data, X509Summary.of(data), null);
        } catch (CertificateException | RuntimeException e) {
            // A damaged certificate is shown as such; the store itself may still be fine.
            return new SignatureEntry(type, owner, data, null, "not a valid X.509 certificate: " + e.getMessage());
        }
    }

    /**
     * A one-line identity used for display and for diffs: "X.509 CN=..., SHA-256 fingerprint ..."
     * or "SHA-256 e3b0...".
     */
    public String summary() {
        if (certificate != null) {
            return "X.509 " + certificate.subject() + " (SHA-256 fingerprint " + certificate.sha256() + ")";
        }
        if (type.equals(SignatureTypes.X509)) {
            return "X.509 (undecodable, SHA-256 " + X509Summary.sha256(data) + ")";
        }
        return SignatureTypes.name(type) + " " + Le.hex(data);
    }

    /** Entries are the same when type, owner and bytes are. */
    public String identity() {
        return type + "/" + owner + "/" + Le.hex(data);
    }
}
