package be.recordbroker.kmehr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.fgov.ehealth.standards.kmehr.schema.v1.HcpartyType;
import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;
import be.recordbroker.domain.NihiiValidation;
import be.recordbroker.network.HttpEndpoint;
import be.recordbroker.network.HubEndpoint;
import be.recordbroker.network.LocalServerAddress;
import be.recordbroker.network.Network;

/**
 * The federated search's per-hub timeout is the hub call's receive timeout (routes/FederatedSearchRoutes.java): over a
 * real socket, a hub that takes the request and stays silent is given up after the timeout the call names, not the
 * network file's.
 */
class HubClientTimeoutTest {

    private static final HcpartyType GP = Kmehr.professionalParty("12345625004", "72031412122", "persphysician", "An",
            "Verstraeten");

    private ServerSocket silentHub;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private HubTransactionLists lists;

    @BeforeEach
    void start() throws IOException {
        silentHub = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silentHub.isClosed()) {
                try {
                    Socket socket = silentHub.accept();
                    accepted.add(socket);
                    Thread reader = new Thread(() -> drain(socket), "silent-hub-reader");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-hub");
        acceptor.setDaemon(true);
        acceptor.start();
        Hub rsb = new Hub("rsb", "1990000728", "RSBID", "rsb");
        // the network file gives the hub 60 s: far beyond what the test waits
        HubEndpoint endpoint = new HubEndpoint(rsb, new HttpEndpoint("http://127.0.0.1:" + silentHub.getLocalPort()
                + "/hubs/rsb", Duration.ofSeconds(2), Duration.ofSeconds(60)));
        Network network = new Network(HubDirectory.of(List.of(rsb)), List.of(endpoint),
                new HttpEndpoint("/metahub", Duration.ofSeconds(1), Duration.ofSeconds(1)), List.of());
        lists = new HubTransactionLists(new HubClients(network, new LocalServerAddress()), network,
                NihiiValidation.LENIENT, ZoneId.of("Europe/Brussels"));
    }

    @AfterEach
    void stop() throws IOException {
        silentHub.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void aSilentHubIsGivenUpAfterTheReceiveTimeoutTheCallNames() {
        timedOutAfterMillis(Duration.ofMillis(200)); // the first call makes CXF's bus and JAXB context: not timed
        long shortWait = timedOutAfterMillis(Duration.ofMillis(400));
        long longerWait = timedOutAfterMillis(Duration.ofMillis(1600));

        assertThat(shortWait).as("given up after its 400 ms").isBetween(380L, 1400L);
        assertThat(longerWait).as("given up after its 1600 ms (a port of its own, not the 400 ms one)")
                .isBetween(1580L, 10_000L);
    }

    /** How long a call with this receive timeout took to fail; it must fail with a socket timeout. */
    private long timedOutAfterMillis(Duration receiveTimeout) {
        long start = System.nanoTime();
        Throwable failure = catchThrowable(() -> lists.list("rsb", "61031512350", List.of(), null, null, false, GP,
                null, receiveTimeout));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(failure).isInstanceOf(HubCallException.class);
        assertThat(causes(failure)).as("a socket timeout under the hub call's exception")
                .anyMatch(SocketTimeoutException.class::isInstance);
        return tookMs;
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    /** Reads the request and never answers. */
    private static void drain(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // a hub that listens and never answers
            }
        } catch (IOException closed) {
            // the test is over
        }
    }
}
