package org.varsgen.varstore.sig;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.varsgen.varstore.Le;

/** What varsgen shows of an X.509 certificate; decoding is java.security.cert's. */
public record X509Summary(String subject, String issuer, String serial, String sha256, String notBefore,
                          String notAfter) {
    /** Attribute types RFC 2253 has no keyword for; without these Debian's e-mail address shows as hex. */
    private static final Map<String, String> OID_NAMES = Map.of("1.2.840.113549.1.9.1", "EMAILADDRESS");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Decodes DER; throws CertificateException when the bytes are not one certificate. */
    public static X509Summary of(byte[] der) throws CertificateException {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        return new X509Summary(
                c.getSubjectX500Principal().getName(X500Principal.RFC2253, OID_NAMES),
                c.getIssuerX500Principal().getName(X500Principal.RFC2253, OID_NAMES),
                c.getSerialNumber().toString(16),
                sha256(der),
                DATE.format(c.getNotBefore().toInstant()),
                DATE.format(c.getNotAfter().toInstant()));
    }

    static String sha256(byte[] b) {
        try {
            return Le.hex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
