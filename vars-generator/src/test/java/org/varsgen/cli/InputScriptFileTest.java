package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.generator.console.ConsoleScript;
import org.varsgen.generator.console.ConsoleScriptEngine;
import org.varsgen.generator.console.ConsoleStep;

class InputScriptFileTest {
    @TempDir
    Path dir;

    private ConsoleScript parse(String text) throws Exception {
        return InputScriptFile.parse(Files.writeString(dir.resolve("in.script"), text), 7);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void eachExpectTypesTheSendsAfterItAndLeadingSendsGoFirst() throws Exception {
        ConsoleScript s = parse("send-raw \\e\n# comment\n\nexpect a.b\nsend x\nsend-raw y\\r\\n\\\\\nexpect c\n");
        assertEquals(ConsoleScript.Style.INPUT_SCRIPT, s.style());
        assertEquals(3, s.steps().size());
        ConsoleStep first = s.steps().get(0);
        assertFalse(first.waits());
        assertArrayEquals(ascii("\u001b"), first.type());
        ConsoleStep second = s.steps().get(1);
        assertEquals("a.b", second.name());
        assertArrayEquals(ascii("x\ry\r\n\\"), second.type());
        assertEquals(7, second.deadlineNanos());
        assertArrayEquals(new byte[0], s.steps().get(2).type());
    }

    @Test
    void expectTextIsLiteralAndCannotSpanABareCarriageReturn() throws Exception {
        ConsoleScriptEngine engine = new ConsoleScriptEngine(parse("send go\nexpect a.b\nsend ok\n"), 0);
        assertArrayEquals(ascii("go\r"), engine.poll(1));
        // "a." then a bare CR then "b": the PEXPECT style, dropping the CR, would match here
        feed(engine, "axb a.\rb ");
        assertArrayEquals(new byte[0], engine.poll(2));
        feed(engine, "a.b");
        assertArrayEquals(ascii("ok\r"), engine.poll(3));
        assertTrue(engine.allTyped());
        assertTrue(engine.waitingFor().isEmpty());
    }

    @Test
    void theDeadlineCountsGuestTimeWithoutOutputFromThePollThatSawIt() throws Exception {
        ConsoleScriptEngine engine = new ConsoleScriptEngine(parse("expect Shell>\n"), 0);
        engine.poll(100);
        feed(engine, "Press");
        engine.poll(105);
        engine.poll(111);
        assertTrue(engine.failure().isEmpty(), "6 ns after the poll that saw output");
        engine.poll(112);
        assertEquals("Shell>", engine.failure().orElseThrow().step());
        assertEquals("Shell>", engine.waitingFor().orElseThrow());
        assertTrue(engine.failure().orElseThrow().message().endsWith("last console lines: Press"),
                engine.failure().orElseThrow().message());
    }

    @Test
    void badLinesNameTheFileAndLine() {
        VarsgenException e = assertThrows(VarsgenException.class, () -> parse("expect x\nsend \\q\n"));
        assertTrue(e.getMessage().endsWith("in.script:2: unknown escape \\q"), e.getMessage());
        e = assertThrows(VarsgenException.class, () -> parse("expect\n"));
        assertTrue(e.getMessage().endsWith("in.script:1: expect needs a text"), e.getMessage());
    }

    private static void feed(ConsoleScriptEngine engine, String text) {
        for (byte b : ascii(text)) {
            engine.onSerialByte(b, 0);
        }
    }
}
