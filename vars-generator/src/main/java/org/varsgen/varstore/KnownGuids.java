package org.varsgen.varstore;

import java.util.LinkedHashMap;
import java.util.Map;

/** Friendly names for the vendor and device-path GUIDs seen in OVMF stores. */
public final class KnownGuids {
    public static final Guid EFI_GLOBAL_VARIABLE = Guid.parse("8be4df61-93ca-11d2-aa0d-00e098032b8c");
    public static final Guid IMAGE_SECURITY_DATABASE = Guid.parse("d719b2cb-3d3a-4596-a3bc-dad00e67656f");
    public static final Guid SECURE_BOOT_ENABLE = Guid.parse("f0a30bc7-af08-4556-99c4-001009c93a44");
    public static final Guid CUSTOM_MODE = Guid.parse("c076ec0c-7028-4399-a072-71ee5c448b9f");
    public static final Guid MICROSOFT = Guid.parse("77fa9abd-0359-4d32-bd60-28f4e78f784b");
    /** OvmfPkg's SMBIOS type 11 prefix that hands EnrollDefaultKeys the PK/KEK certificate. */
    public static final Guid OVMF_PK_KEK1 = Guid.parse("4e32566d-8e9e-4f52-81d3-5bb9715f9727");

    private static final Map<Guid, String> NAMES = new LinkedHashMap<>();

    static {
        add(EFI_GLOBAL_VARIABLE, "EFI global variable");
        add(IMAGE_SECURITY_DATABASE, "EFI image security database");
        add(SECURE_BOOT_ENABLE, "EDK II Secure Boot enable/disable");
        add(CUSTOM_MODE, "EDK II Secure Boot custom mode");
        add(MICROSOFT, "Microsoft");
        add(OVMF_PK_KEK1, "OVMF PK/KEK1 OEM string (EnrollDefaultKeys)");
        add("a0baa8a3-041d-48a8-bc87-c36d121b5e3d", "OVMF EnrollDefaultKeys");
        add("d9bee56e-75dc-49d9-b4d7-b534210f637a", "EDK II certificate database (certdb)");
        add("9073e4e0-60ec-4b6e-9903-4c223c260f3c", "EDK II vendor keys (VendorKeysNv)");
        add("eb704011-1402-11d3-8e77-00a0c969723b", "EDK II monotonic counter (MTC)");
        add("04b37fe8-f6ae-480b-bdd5-37d98c5e89aa", "EDK II variable error flag");
        add("4c19049f-4137-4dd3-9c10-8b97a83ffdfa", "EDK II memory type information");
        add("7235c51c-0c80-4cab-87ac-3b084a6304b1", "OVMF platform configuration");
        add("e20939be-32d4-41be-a150-897f85d49829", "TCG memory overwrite control");
        add("605dab50-e046-4300-abb6-3dd810dd8b23", "shim");
        add(VariableStoreHeader.AUTHENTICATED, "EDK II authenticated variable store");
        add(VariableStoreHeader.NON_AUTHENTICATED, "EDK II variable store");
        add(FirmwareVolumeHeader.NV_DATA, "system NV data firmware volume");
        add(FtwWorkingBlock.SIGNATURE, "fault-tolerant-write working block");
        add("7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1", "OVMF DXE firmware volume");
        add("462caa21-7614-4503-836e-8ab6f4662331", "UiApp (boot manager menu)");
        add("7c04a583-9e3e-4f1c-ad65-e05268d0b4d1", "UEFI Shell");
        add("e0c14753-f9be-11d2-9a0c-0090273fc14d", "PC-ANSI terminal");
        add("dfa66065-b419-11d3-9a2d-0090273fc14d", "VT-100 terminal");
        add("7baec70b-57e0-4c76-8e87-2f9e28088343", "VT-100+ terminal");
        add("ad15a0d6-8bec-4acf-a073-d01de77e2d88", "VT-UTF8 terminal");
        add("37499a9d-542f-4c89-a026-35da142094e4", "UART flow control");
    }

    private KnownGuids() {
    }

    private static void add(String guid, String name) {
        add(Guid.parse(guid), name);
    }

    private static void add(Guid guid, String name) {
        NAMES.put(guid, name);
    }

    /** The friendly name, or null when the GUID is not a known one. */
    public static String nameOf(Guid guid) {
        return NAMES.get(guid);
    }

    /** "8be4df61-... (EFI global variable)", or just the GUID. */
    public static String describe(Guid guid) {
        String n = nameOf(guid);
        return n == null ? guid.toString() : guid + " (" + n + ")";
    }
}
