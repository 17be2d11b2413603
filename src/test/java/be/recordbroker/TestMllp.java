package be.recordbroker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.llp.MinLLPReader;
import ca.uhn.hl7v2.llp.MinLLPWriter;

/**
 * A hospital's side of MLLP for the tests: HAPI's own framing (MinLLPWriter/MinLLPReader) over a plain socket on
 * 127.0.0.1, ISO-8859-1 as the listeners declare.
 */
public final class TestMllp {

    /** How long a test waits for an ACK unless it says otherwise. */
    public static final Duration ACK_WAIT = Duration.ofSeconds(20);

    private TestMllp() {
    }

    /** MSA-1 (AA, AE, AR…) and MSA-2 (the control id it answers) of an ACK. */
    public record Msa(String code, String control) {
    }

    /** One message on a connection of its own; the ACK, or null when the listener closed without one. */
    public static String send(int port, String er7) throws IOException {
        try (Socket socket = connect(port, ACK_WAIT)) {
            writeMessage(socket, er7);
            return readMessage(socket);
        }
    }

    /** A connection to the listener on this port, each read bounded by {@code ackWait}. */
    public static Socket connect(int port, Duration ackWait) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout((int) ackWait.toMillis());
            return socket;
        } catch (IOException e) {
            TestIo.closeQuietly(socket);
            throw e;
        }
    }

    /** One message on an open connection and its ACK; an IOException when the connection closes first. */
    public static String exchange(Socket socket, String er7) throws IOException {
        writeMessage(socket, er7);
        String ack = readMessage(socket);
        if (ack == null) {
            throw new IOException("connection closed before the ACK");
        }
        return ack;
    }

    /** The ACK's MSA segment, or null when it has none. */
    public static Msa msa(String ack) {
        for (String segment : ack.split("[\r\n]+")) {
            if (segment.startsWith("MSA|")) {
                String[] fields = segment.split("\\|", -1);
                return new Msa(fields[1], fields.length > 2 ? fields[2] : "");
            }
        }
        return null;
    }

    private static String readMessage(Socket socket) throws IOException {
        try {
            return new MinLLPReader(socket.getInputStream(), StandardCharsets.ISO_8859_1).getMessage();
        } catch (LLPException e) {
            throw new IOException(e);
        }
    }

    private static void writeMessage(Socket socket, String er7) throws IOException {
        try {
            new MinLLPWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1).writeMessage(er7);
        } catch (LLPException e) {
            throw new IOException(e);
        }
    }
}
