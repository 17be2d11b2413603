package be.recordbroker;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small I/O helpers the end-to-end tests, the kill test and the benchmark share. */
public final class TestIo {

    private TestIo() {
    }

    /** Where {@link #freePort} looks: below Linux's ephemeral ports (32768–60999) and RabbitMQ's 25672. */
    static final int FIRST_PORT = 20000;
    static final int PORTS = 5000;
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A TCP port free at the time of the call, and not handed out before in this JVM. Not one the kernel picks
     * ({@code new ServerSocket(0)}): that is an ephemeral port, which any outgoing connection of any process may take
     * before the server it was picked for binds it (a kill test's broker once waited 30 s for its MLLP port so).
     */
    public static int freePort() {
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(PORTS);
        for (int i = 0; i < PORTS; i++) {
            int port = FIRST_PORT + (start + i) % PORTS;
            if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Deletes a folder and everything below it; nothing happens when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
