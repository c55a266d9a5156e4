package org.varsgen.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.EfiTime;
import org.varsgen.varstore.KnownGuids;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreParser;

class StoreChecksTest {
    private static VarStore store(String name) throws Exception {
        return VarStoreParser.parse(FirmwareFixtures.read("debian-trixie/" + name));
    }

    private static byte[] cert(String pem) {
        return OemString.fromPem(FirmwareFixtures.read("debian-trixie/" + pem)).certificateDer();
    }

    @Test
    void debiansMsStorePassesTheDefaultCaseWithoutTheEpochCheck() throws Exception {
        assertEquals(List.of(), StoreChecks.problems(store("OVMF_VARS_4M.ms.fd"),
                new EnrolmentExpectation(cert("PkKek-1-Debian.pem"), false, OptionalLong.empty())));
    }

    @Test
    void debiansSnakeoilStorePassesNoDefault() throws Exception {
        assertEquals(List.of(), StoreChecks.problems(store("OVMF_VARS_4M.snakeoil.fd"),
                new EnrolmentExpectation(cert("PkKek-1-snakeoil.pem"), true, OptionalLong.empty())));
    }

    @Test
    void theEmptyTemplateFailsSayingWhatIsMissing() throws Exception {
        List<String> problems = StoreChecks.problems(store("OVMF_VARS_4M.fd"),
                new EnrolmentExpectation(cert("PkKek-1-Debian.pem"), false, OptionalLong.empty()));
        assertTrue(problems.containsAll(List.of("PK is missing", "KEK is missing", "db is missing", "dbx is missing")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Secure Boot state is setup mode (no PK)")),
                problems::toString);
    }

    @Test
    void wrongCertificateOrModeIsNamed() throws Exception {
        List<String> wrongCert = StoreChecks.problems(store("OVMF_VARS_4M.ms.fd"),
                new EnrolmentExpectation(cert("PkKek-1-snakeoil.pem"), false, OptionalLong.empty()));
        assertTrue(wrongCert.get(0).startsWith("PK holds [X.509 with SHA-256 fingerprint 5fb05ed8"), wrongCert::toString);
        assertTrue(wrongCert.get(0).endsWith("expected [the PK/KEK certificate]"), wrongCert::toString);
        List<String> wrongMode = StoreChecks.problems(store("OVMF_VARS_4M.ms.fd"),
                new EnrolmentExpectation(cert("PkKek-1-Debian.pem"), true, OptionalLong.empty()));
        assertEquals(List.of(
                "KEK holds [the PK/KEK certificate, Microsoft Corporation KEK CA 2011]; expected [the PK/KEK certificate]",
                "db holds [Microsoft Windows Production PCA 2011, Microsoft Corporation UEFI CA 2011]; "
                        + "expected [the PK/KEK certificate]"), wrongMode);
    }

    @Test
    void timeStampsMustEqualTheEpochWhenGiven() throws Exception {
        VarStore ms = store("OVMF_VARS_4M.ms.fd");
        // Debian's own store: PK stamped 2026-01-04 18:19:20, the others one second earlier.
        long pkSecond = java.time.Instant.parse("2026-01-04T18:19:20Z").getEpochSecond();
        assertEquals(EfiTime.of(2026, 1, 4, 18, 19, 20), StoreChecks.efiTime(pkSecond));
        assertEquals(StoreChecks.efiTime(pkSecond), ms.find(KnownGuids.EFI_GLOBAL_VARIABLE, "PK").orElseThrow().time());
        List<String> problems = StoreChecks.problems(ms,
                new EnrolmentExpectation(cert("PkKek-1-Debian.pem"), false, OptionalLong.of(pkSecond)));
        assertEquals(3, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("KEK has time stamp 2026-01-04 18:19:19"), problems::toString);
        assertTrue(problems.get(0).endsWith("(the source date epoch)"), problems::toString);
    }
}
