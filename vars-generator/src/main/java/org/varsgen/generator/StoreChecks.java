package org.varsgen.generator;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.varsgen.varstore.EfiTime;
import org.varsgen.varstore.Guid;
import org.varsgen.varstore.KnownGuids;
import org.varsgen.varstore.SecureBootState;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreException;
import org.varsgen.varstore.VariableRecord;
import org.varsgen.varstore.sig.SignatureEntry;
import org.varsgen.varstore.sig.SignatureList;
import org.varsgen.varstore.sig.SignatureTypes;

/**
 * Checks a store produced by the job before it is written out, against what EnrollDefaultKeys.efi
 * (edk2 OvmfPkg/EnrollDefaultKeys) enrols:
 * <ul>
 * <li>PK: the OEM-string certificate alone.</li>
 * <li>KEK: that certificate, then, with the defaults, Microsoft Corporation KEK CA 2011.</li>
 * <li>db: with the defaults Microsoft Windows Production PCA 2011 and Microsoft Corporation UEFI CA
 *     2011; with --no-default the OEM-string certificate (as Debian's snakeoil store shows).</li>
 * <li>dbx: one SHA-256 entry, the hash of empty input (EnrollDefaultKeys' placeholder), in both cases.</li>
 * <li>user mode, SecureBootEnable 1, CustomMode 0; BootOrder gone (the job's "setvar BootOrder =").</li>
 * <li>the time stamps of PK, KEK, db and dbx, when an epoch is given.</li>
 * </ul>
 * The Microsoft certificates are recognised by their SHA-256 fingerprints.
 */
public final class StoreChecks {
    static final String MS_KEK_CA_2011 = "a1117f516a32cefcba3f2d1ace10a87972fd6bbe8fe0d0b996e09e65d802a503";
    static final String MS_WINDOWS_PCA_2011 = "e8e95f0733a55e8bad7be0a1413ee23c51fcea64b3c8fa6a786935fddcc71961";
    static final String MS_UEFI_CA_2011 = "48e99b991f57fc52f76149599bff0a58c47154229b9f8d603ac40d3500248507";
    static final String SHA256_OF_NOTHING = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private StoreChecks() {
    }

    /** Every way the store differs from the expectation, one line each; empty when it passes. */
    public static List<String> problems(VarStore store, EnrolmentExpectation expected) {
        List<String> problems = new ArrayList<>();
        String own = sha256(expected.certificateDer());
        Guid global = KnownGuids.EFI_GLOBAL_VARIABLE;
        Guid security = KnownGuids.IMAGE_SECURITY_DATABASE;
        checkList(store, global, "PK", List.of(own), own, problems);
        checkList(store, global, "KEK", expected.noDefault() ? List.of(own) : List.of(own, MS_KEK_CA_2011), own, problems);
        checkList(store, security, "db", expected.noDefault() ? List.of(own)
                : List.of(MS_WINDOWS_PCA_2011, MS_UEFI_CA_2011), own, problems);
        checkList(store, security, "dbx", List.of("SHA-256 " + SHA256_OF_NOTHING), own, problems);

        SecureBootState state = SecureBootState.of(store);
        if (!state.pkEnrolled() || !Integer.valueOf(1).equals(state.secureBootEnable())
                || !Integer.valueOf(0).equals(state.customMode())) {
            problems.add("Secure Boot state is " + state.describe()
                    + "; expected user mode (PK enrolled), SecureBootEnable on, CustomMode off");
        }
        if (store.find(global, "BootOrder").isPresent()) {
            problems.add("BootOrder is still set (the job clears it with \"setvar BootOrder =\")");
        }
        if (expected.timeStampEpoch().isPresent()) {
            EfiTime want = efiTime(expected.timeStampEpoch().getAsLong());
            for (String name : List.of("PK", "KEK", "db", "dbx")) {
                Guid vendor = name.startsWith("d") ? security : global;
                store.find(vendor, name).filter(r -> !r.time().equals(want)).ifPresent(r -> problems.add(
                        name + " has time stamp " + r.time() + ", expected " + want + " (the source date epoch)"));
            }
        }
        return problems;
    }

    /** The EFI_TIME EnrollDefaultKeys writes when the RTC reads this second (UTC, no fractions). */
    public static EfiTime efiTime(long epochSecond) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC);
        return EfiTime.of(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    }

    private static void checkList(VarStore store, Guid vendor, String name, List<String> want, String own,
            List<String> problems) {
        Optional<VariableRecord> record = store.find(vendor, name);
        if (record.isEmpty()) {
            problems.add(name + " is missing");
            return;
        }
        List<String> got = new ArrayList<>();
        try {
            for (SignatureEntry e : SignatureList.entriesOf(SignatureList.parseAll(record.get().data(), 0))) {
                got.add(e.type().equals(SignatureTypes.X509) ? sha256(e.data())
                        : SignatureTypes.name(e.type()) + " " + HexFormat.of().formatHex(e.data()));
            }
        } catch (VarStoreException e) {
            problems.add(name + " is not a valid signature list: " + e.getMessage());
            return;
        }
        if (!got.equals(want)) {
            problems.add(name + " holds " + describe(got, own) + "; expected " + describe(want, own));
        }
    }

    private static String describe(List<String> entries, String own) {
        return entries.isEmpty() ? "nothing"
                : "[" + String.join(", ", entries.stream().map(e -> label(e, own)).toList()) + "]";
    }

    private static String label(String entry, String own) {
        if (entry.equals(own)) {
            return "the PK/KEK certificate";
        }
        return switch (entry) {
            case MS_KEK_CA_2011 -> "Microsoft Corporation KEK CA 2011";
            case MS_WINDOWS_PCA_2011 -> "Microsoft Windows Production PCA 2011";
            case MS_UEFI_CA_2011 -> "Microsoft Corporation UEFI CA 2011";
            default -> entry.length() == 64 ? "X.509 with SHA-256 fingerprint " + entry : entry;
        };
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
