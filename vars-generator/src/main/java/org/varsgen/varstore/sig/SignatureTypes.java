package org.varsgen.varstore.sig;

import java.util.Map;
import org.varsgen.varstore.Guid;

/** EFI_SIGNATURE_LIST type GUIDs. */
public final class SignatureTypes {
    public static final Guid X509 = Guid.parse("a5c059a1-94e4-4aa7-87b5-ab155c2bf072");
    public static final Guid SHA256 = Guid.parse("c1c41626-504c-4092-aca9-41f936934328");
    private static final Map<Guid, String> NAMES = Map.of(
            X509, "X.509",
            SHA256, "SHA-256",
            Guid.parse("3c5766e8-269c-4e34-aa14-ed776e85b3b6"), "RSA-2048",
            Guid.parse("826ca512-cf10-4ac9-b187-be01496631bd"), "SHA-1",
            Guid.parse("0b6e5233-a65c-44c9-9407-d9ab83bfc8bd"), "SHA-224",
            Guid.parse("ff3e5307-9fd0-48c9-85f1-8ad56c701e01"), "SHA-384",
            Guid.parse("093e0fae-a6c4-4f50-9f1b-d41e2b89c19a"), "SHA-512",
            Guid.parse("3bd2a492-96c0-4079-b420-fcf98ef103ed"), "X.509-SHA-256",
            Guid.parse("4aafd29d-68df-49ee-8aa9-347d375665a7"), "PKCS7");

    private SignatureTypes() {
    }

    /** "X.509", "SHA-256", ... or the GUID itself. */
    public static String name(Guid type) {
        return NAMES.getOrDefault(type, type.toString());
    }
}
