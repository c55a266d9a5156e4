package org.varsgen.emulator.devices;

import java.util.ArrayDeque;
import java.util.List;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * The i8042 keyboard controller at 0x60 (data) and 0x64 (status and command) with a PS/2
 * keyboard on its first port (ISA IRQ 1) and a PS/2 mouse on the auxiliary port (IRQ 12), as
 * QEMU's "i8042" presents them: status 0x18 after reset (command/data flag and keyboard not
 * inhibited, both held high as in QEMU), the controller configuration byte (0x20/0x60, reset
 * value 0x03), self-test 0xAA -> 0x55 (which also sets the system flag), interface tests
 * 0xAB/0xA9 -> 0x00, port enable/disable, the output port (0xD0/0xD1) with A20 and the reset
 * line, 0xD2/0xD3 output-buffer writes, 0xD4 to the mouse, and the pulse commands 0xF0-0xFF,
 * of which those pulsing bit 0 (0xFE) reset the machine through the reset callback.
 *
 * <p>Bytes move instantly; the input buffer is never full. The output buffer holds one byte;
 * replies wait in the controller, keyboard or mouse until it is empty.
 */
public final class I8042Controller {
    /** QEMU's i8042_data_ops and i8042_cmd_ops: bytes implemented, any access up to 4 bytes valid. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 1);

    static final int STATUS_OBF = 0x01;
    static final int STATUS_SYS = 0x04;
    static final int STATUS_CMD = 0x08;
    static final int STATUS_UNLOCKED = 0x10;
    static final int STATUS_AUX_OBF = 0x20;
    static final int MODE_KBD_INT = 0x01;
    static final int MODE_AUX_INT = 0x02;
    static final int MODE_DISABLE_KBD = 0x10;
    static final int MODE_DISABLE_AUX = 0x20;
    static final int MODE_TRANSLATE = 0x40;
    private static final int OUTPORT_RESET = 0x01;
    private static final int OUTPORT_A20 = 0x02;

    private final Ps2Keyboard keyboard = new Ps2Keyboard();
    private final Ps2Mouse mouse = new Ps2Mouse();
    private final IrqLine irq1;
    private final IrqLine irq12;
    private final ArrayDeque<int[]> controllerReplies = new ArrayDeque<>();   // {byte, aux ? 1 : 0}
    private Runnable resetCallback = () -> { };
    private IrqLine a20 = IrqLine.NONE;

    private int status;
    private int mode;
    private int outport;
    private int pendingCommand;     // a controller command waiting for its data byte, or 0
    private int outputData;
    private boolean outputFull;
    private boolean outputFromAux;

    public I8042Controller(IrqLine irq1, IrqLine irq12) {
        this.irq1 = irq1;
        this.irq12 = irq12;
        reset();
    }

    public void reset() {
        status = STATUS_CMD | STATUS_UNLOCKED;
        mode = MODE_KBD_INT | MODE_AUX_INT;
        outport = OUTPORT_RESET | OUTPORT_A20;
        pendingCommand = 0;
        outputFull = false;
        controllerReplies.clear();
        updateIrq();
    }

    /** Called when the guest pulses the reset line (0xFE, or an output-port write clearing bit 0). */
    public void setResetCallback(Runnable callback) {
        this.resetCallback = callback;
    }

    /** Receives the A20 gate level whenever the guest changes it through the output port. */
    public void setA20Line(IrqLine line) {
        this.a20 = line;
    }

    public Ps2Keyboard keyboard() {
        return keyboard;
    }

    public int mode() {
        return mode;
    }

    /** Port 0x60 ("i8042-data") and port 0x64 ("i8042-cmd"). */
    public List<Region> regions() {
        RegionHandler data = new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return readData();
            }

            @Override
            public void write(long offset, int size, long value) {
                writeData((int) value & 0xFF);
            }
        };
        RegionHandler command = new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return readStatus();
            }

            @Override
            public void write(long offset, int size, long value) {
                writeCommand((int) value & 0xFF);
            }
        };
        return List.of(Region.mmio("i8042-data", 0x60, 1, data, ACCESS),
                Region.mmio("i8042-cmd", 0x64, 1, command, ACCESS));
    }

    /** New key bytes from the host: delivered if the keyboard scans. */
    public void typeBytes(int... bytes) {
        keyboard.typeBytes(bytes);
        fillOutputBuffer();
    }

    public int readStatus() {
        fillOutputBuffer();
        return status;
    }

    public int readData() {
        int value = outputData;
        if (outputFull) {
            outputFull = false;
            status &= ~(STATUS_OBF | STATUS_AUX_OBF);
            fillOutputBuffer();
            updateIrq();
        }
        return value;
    }

    private void reply(int b, boolean aux) {
        controllerReplies.add(new int[] {b & 0xFF, aux ? 1 : 0});
        fillOutputBuffer();
    }

    /** Moves the next waiting byte into an empty output buffer: controller first, then keyboard, then mouse. */
    private void fillOutputBuffer() {
        if (outputFull) {
            return;
        }
        if (!controllerReplies.isEmpty()) {
            int[] r = controllerReplies.poll();
            load(r[0], r[1] != 0);
        } else if ((mode & MODE_DISABLE_KBD) == 0 && keyboard.hasOutput()) {
            load(keyboard.takeOutput(), false);
        } else if ((mode & MODE_DISABLE_AUX) == 0 && mouse.hasOutput()) {
            load(mouse.takeOutput(), true);
        } else {
            return;
        }
        updateIrq();
    }

    private void load(int b, boolean aux) {
        outputData = b;
        outputFull = true;
        outputFromAux = aux;
        status |= STATUS_OBF;
        if (aux) {
            status |= STATUS_AUX_OBF;
        } else {
            status &= ~STATUS_AUX_OBF;
        }
    }

    private void updateIrq() {
        irq1.setLevel(outputFull && !outputFromAux && (mode & MODE_KBD_INT) != 0);
        irq12.setLevel(outputFull && outputFromAux && (mode & MODE_AUX_INT) != 0);
    }

    public void writeCommand(int command) {
        if ((command & 0xF0) == 0xF0) {        // pulse output lines: bit 0 clear pulses reset
            if ((command & 1) == 0) {
                resetCallback.run();
            }
            return;
        }
        switch (command) {
            case 0x20 -> reply(mode, false);
            case 0x60, 0xD1, 0xD2, 0xD3, 0xD4 -> pendingCommand = command;
            case 0xA7 -> setMode(mode | MODE_DISABLE_AUX);
            case 0xA8 -> setMode(mode & ~MODE_DISABLE_AUX);
            case 0xA9, 0xAB -> reply(0x00, false);   // interface tests: no error
            case 0xAA -> {
                status |= STATUS_SYS;
                reply(0x55, false);
            }
            case 0xAD -> setMode(mode | MODE_DISABLE_KBD);
            case 0xAE -> setMode(mode & ~MODE_DISABLE_KBD);
            case 0xC0 -> reply(0x80, false);         // input port: keyboard not locked
            case 0xD0 -> reply(outputPort(), false);
            case 0xDD -> writeOutputPort(outport & ~OUTPORT_A20);
            case 0xDF -> writeOutputPort(outport | OUTPORT_A20);
            case 0xE0 -> reply(0x00, false);         // test inputs
            default -> { }                           // unsupported commands are ignored, as in QEMU
        }
    }

    private int outputPort() {
        int value = outport & ~(0x10 | 0x20);
        if (outputFull) {
            value |= outputFromAux ? 0x20 : 0x10;
        }
        return value;
    }

    private void setMode(int value) {
        mode = value & 0xFF;
        fillOutputBuffer();
        updateIrq();
    }

    private void writeOutputPort(int value) {
        boolean a20Changed = ((outport ^ value) & OUTPORT_A20) != 0;
        outport = value;
        if (a20Changed) {
            a20.setLevel((value & OUTPORT_A20) != 0);
        }
        if ((value & OUTPORT_RESET) == 0) {
            resetCallback.run();
        }
    }

    public void writeData(int value) {
        int command = pendingCommand;
        pendingCommand = 0;
        switch (command) {
            case 0x60 -> setMode(value);
            case 0xD1 -> writeOutputPort(value);
            case 0xD2 -> reply(value, false);
            case 0xD3 -> reply(value, true);
            case 0xD4 -> {
                mouse.write(value);
                fillOutputBuffer();
            }
            default -> {
                keyboard.write(value, (mode & MODE_TRANSLATE) != 0);
                // Sending data to the keyboard re-enables its interface, as in QEMU.
                setMode(mode & ~MODE_DISABLE_KBD);
            }
        }
    }
}
