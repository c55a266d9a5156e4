package org.varsgen.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.varsgen.cli.VarsgenException;
import org.varsgen.generator.console.ConsoleScriptEngine;

/**
 * The --json-report: what went in (paths as given and SHA-256 of the content), what the console
 * typed and when in guest time, how the boot ended, the store checks, and what came out. Only
 * guest time and content hashes, never host time, so the same inputs give the same report.
 */
public final class GenerationReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ObjectNode root = MAPPER.createObjectNode();

    GenerationReport(GenerationPlan plan, byte[] disk) {
        root.put("result", "running");
        root.put("flavor", plan.flavor().name());
        root.put("noDefault", plan.noDefault());
        if (plan.epochGiven()) {
            root.put("sourceDateEpoch", plan.epochSecond());
        } else {
            root.putNull("sourceDateEpoch");
        }
        root.put("rtcEpochSecond", plan.epochSecond());
        ObjectNode inputs = root.putObject("inputs");
        file(inputs.putObject("code"), plan.code());
        file(inputs.putObject("varsTemplate"), plan.varsTemplate());
        file(inputs.putObject("shell"), plan.shell());
        file(inputs.putObject("enrollDefaultKeys"), plan.enrollDefaultKeys());
        ObjectNode oem = inputs.putObject("oemString");
        oem.put("sha256", StoreChecks.sha256(plan.oemString().value().getBytes(StandardCharsets.US_ASCII)));
        oem.put("certificateSha256", StoreChecks.sha256(plan.oemString().certificateDer()));
        oem.put("certificateSubject", plan.oemString().certificate().getSubjectX500Principal().getName());
        ObjectNode d = root.putObject("disk");
        d.put("size", disk.length);
        d.put("sha256", StoreChecks.sha256(disk));
    }

    void booted(BootResult result, List<ConsoleScriptEngine.Typed> typed) {
        ArrayNode console = root.putArray("console");
        for (ConsoleScriptEngine.Typed t : typed) {
            ObjectNode step = console.addObject();
            step.put("afterStep", t.step());
            step.put("typed", new String(t.bytes(), StandardCharsets.US_ASCII));
            step.put("guestNanos", t.guestNanos());
        }
        ObjectNode boot = root.putObject("boot");
        boot.put("outcome", result.outcome().name());
        boot.put("detail", result.detail());
        boot.put("guestNanos", result.guestNanos());
    }

    void checked(List<String> problems) {
        ArrayNode checks = root.putArray("storeProblems");
        problems.forEach(checks::add);
    }

    void written(byte[] store) {
        root.put("result", "ok");
        ObjectNode out = root.putObject("output");
        out.put("size", store.length);
        out.put("sha256", StoreChecks.sha256(store));
    }

    void failed(VarsgenException e) {
        root.put("result", "failed");
        root.put("exitCode", e.exitCode());
        root.put("message", e.getMessage());
    }

    byte[] json() {
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }

    private static void file(ObjectNode node, GenerationPlan.Input in) {
        node.put("path", in.path().toString());
        node.put("size", in.bytes().length);
        node.put("sha256", StoreChecks.sha256(in.bytes()));
    }
}
