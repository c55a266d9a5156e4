package org.varsgen.generator;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;

/**
 * The SMBIOS type 11 (OEM Strings) entry from which EnrollDefaultKeys.efi takes the certificate
 * it enrols as PK and first KEK: the application prefix GUID in lower case, a colon, and the
 * certificate's DER in base64 (edk2 OvmfPkg/Include/Guid/OvmfPkKek1AppPrefix.h).
 *
 * @param value the string exactly as it goes into the SMBIOS table
 * @param certificateDer the certificate it carries, decoded
 */
public record OemString(String value, byte[] certificateDer) {
    public static final String PREFIX = "4e32566d-8e9e-4f52-81d3-5bb9715f9727:";
    static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    static final String END = "-----END CERTIFICATE-----";

    /**
     * Parses a string as Debian's script gets it on {@code -C}, checking what EnrollDefaultKeys
     * would: the prefix (which it compares case-insensitively), and base64 that decodes to one
     * X.509 certificate.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static OemString parse(String value) {
        if (value.length() < PREFIX.length()
                || !value.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
            throw new IllegalArgumentException("does not start with the EnrollDefaultKeys prefix " + PREFIX);
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid base64: " + e.getMessage(), e);
        }
        requireCertificate(der);
        return new OemString(value, der);
    }

    /**
     * Derives the string from a PEM file the way Debian's debian/rules makes debian/oem-string-*
     * from debian/PkKek-1-*.pem: delete every newline, replace everything up to and including the
     * last BEGIN CERTIFICATE line by the prefix, and delete the first END CERTIFICATE marker. So
     * the human-readable "Certificate:" dump that PkKek-1-Debian.pem carries before its PEM block
     * is dropped. A file with more than one PEM block would give a string EnrollDefaultKeys cannot
     * decode; we refuse it instead (the result must decode to exactly one certificate).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static OemString fromPem(String pemText) {
        String oneLine = pemText.replace("\n", "");
        int begin = oneLine.lastIndexOf(BEGIN);
        if (begin < 0) {
            throw new IllegalArgumentException("no " + BEGIN + " line (not a PEM certificate)");
        }
        if (oneLine.indexOf(BEGIN) != begin) {
            throw new IllegalArgumentException("holds more than one PEM certificate; EnrollDefaultKeys takes exactly one");
        }
        String rest = oneLine.substring(begin + BEGIN.length());
        int end = rest.indexOf(END);
        if (end < 0) {
            throw new IllegalArgumentException("no " + END + " line (truncated PEM certificate)");
        }
        String value = PREFIX + rest.substring(0, end) + rest.substring(end + END.length());
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block " + e.getMessage(), e);
        }
    }

    /** Reads a PEM file's bytes as text; PEM is ASCII. */
    public static OemString fromPem(byte[] pemFile) {
        return fromPem(new String(pemFile, StandardCharsets.US_ASCII));
    }

    public X509Certificate certificate() {
        return requireCertificate(certificateDer);
    }

    private static X509Certificate requireCertificate(byte[] der) {
        try {
            var in = new ByteArrayInputStream(der);
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            if (in.available() != 0) {
                throw new IllegalArgumentException("holds " + in.available() + " bytes after the certificate");
            }
            return cert;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("does not decode to an X.509 certificate: " + e.getMessage(), e);
        }
    }
}
