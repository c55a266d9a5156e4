package org.varsgen.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;

class OemStringTest {
    private static final String DIR = "debian-trixie/";

    @Test
    void debianVendorPemGivesDebiansOemStringByteForByte() {
        OemString oem = OemString.fromPem(FirmwareFixtures.read(DIR + "PkKek-1-Debian.pem"));
        assertArrayEquals(FirmwareFixtures.read(DIR + "oem-string-vendor"), oem.value().getBytes(StandardCharsets.US_ASCII));
        assertTrue(oem.certificate().getSubjectX500Principal().getName().contains("Debian UEFI Secure Boot (PK/KEK key)"));
    }

    @Test
    void snakeoilPemGivesDebiansOemStringByteForByte() {
        OemString oem = OemString.fromPem(FirmwareFixtures.read(DIR + "PkKek-1-snakeoil.pem"));
        assertArrayEquals(FirmwareFixtures.read(DIR + "oem-string-snakeoil"), oem.value().getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parsingDebiansStringGivesTheSameCertificateAsThePem() {
        String value = new String(FirmwareFixtures.read(DIR + "oem-string-vendor"), StandardCharsets.US_ASCII);
        OemString parsed = OemString.parse(value);
        assertArrayEquals(OemString.fromPem(FirmwareFixtures.read(DIR + "PkKek-1-Debian.pem")).certificateDer(),
                parsed.certificateDer());
        assertEquals(value, parsed.value());
        // EnrollDefaultKeys compares the prefix case-insensitively.
        assertArrayEquals(parsed.certificateDer(), OemString.parse(value.toUpperCase().substring(0, 36)
                + value.substring(36)).certificateDer());
    }

    @Test
    void textAroundThePemBlockIsDroppedAsDebianRulesDoes() {
        String pem = new String(FirmwareFixtures.read(DIR + "PkKek-1-snakeoil.pem"), StandardCharsets.US_ASCII);
        OemString withText = OemString.fromPem("Certificate:\n    Data: whatever\n" + pem);
        assertEquals(OemString.fromPem(pem).value(), withText.value());
    }

    @Test
    void badCertificatesAreRefusedWithTheReason() {
        String pem = new String(FirmwareFixtures.read(DIR + "PkKek-1-snakeoil.pem"), StandardCharsets.US_ASCII);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OemString.fromPem("hello\n")).getMessage()
                .contains("no -----BEGIN CERTIFICATE-----"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OemString.fromPem(pem + pem)).getMessage()
                .contains("more than one"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> OemString.fromPem(pem.substring(0, pem.indexOf("-----END")))).getMessage().contains("truncated"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OemString.parse("nothing:abc")).getMessage()
                .contains("prefix"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OemString.parse(OemString.PREFIX + "%%%"))
                .getMessage().contains("base64"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OemString.parse(OemString.PREFIX + "AAAA"))
                .getMessage().contains("X.509"));
    }
}
