package be.recordbroker.ingest;

import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.Hl7Util;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mllp's component, registered as {@code mllp}, with two changes for a hospital-facing port:
 * <ul>
 *   <li>every endpoint gets the broker's MLLP TLS parameters (client certificate required) unless its URI names its
 *   own {@code sslContextParameters}; {@code null} parameters (record-broker.mllp.plaintext) mean plain TCP. So
 *   per-site listeners in routes/*.camel.yaml are TLS too without repeating it.</li>
 *   <li>the server consumer starts each connection through {@link PeerGuard}: a per-peer connection cap and a
 *   first-frame timeout. camel-mllp offers neither, and its consumer has no hook for them, so {@code startConsumer}
 *   is replaced (same runnable, own executor so the end of a connection is seen) and {@code processMessage} marks
 *   the first frame.</li>
 * </ul>
 * The peer certificate needs nothing here: camel-mllp 4.17 puts its subject on every exchange
 * ({@code CamelMllpSslClientCertSubjectName}), which {@link MllpTrust} checks against MSH-4.
 */
@org.apache.camel.spi.annotations.Component("mllp")
public class GuardedMllpComponent extends MllpComponent {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final SSLContextParameters tls;
    private final PeerGuard guard;
    /** A listener without TLS must bind a loopback address (the prod profile: see {@link #isLoopback}). */
    private final boolean plaintextOnLoopbackOnly;

    public GuardedMllpComponent(SSLContextParameters tls, PeerGuard guard) {
        this(tls, guard, false);
    }

    /**
     * @param plaintextOnLoopbackOnly refuse a listener without TLS on any other address than loopback: plaintext MLLP
     *                                authenticates no hospital (MSH-4 is taken at its word), so in production only a
     *                                TLS-terminating proxy on the same host may reach it (docs/security/mllp.md)
     */
    public GuardedMllpComponent(SSLContextParameters tls, PeerGuard guard, boolean plaintextOnLoopbackOnly) {
        this.tls = tls;
        this.guard = guard;
        this.plaintextOnLoopbackOnly = plaintextOnLoopbackOnly;
        setLogPhi(false);
    }

    /**
     * Whether a bind address is loopback: {@code localhost} or an IPv4 literal in {@code 127.0.0.0/8}, read as written
     * (no name is looked up). Not IPv6: camel-mllp reads its URI's host up to the first colon, so {@code ::1} cannot
     * be bound.
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false; // no address: every interface
        }
        String h = host.strip();
        if ("localhost".equalsIgnoreCase(h)) {
            return true;
        }
        if (!IPV4.matcher(h).matches()) {
            return false;
        }
        for (String part : h.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return h.startsWith("127.");
    }

    @Override
    public SSLContextParameters retrieveGlobalSslContextParameters() {
        return tls;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        // as MllpComponent.createEndpoint, with the guarded endpoint
        MllpEndpoint endpoint = new GuardedEndpoint(uri, this,
                hasConfiguration() ? getConfiguration().copy() : new MllpConfiguration(), guard);
        if (endpoint.getConfiguration().getSslContextParameters() == null) {
            endpoint.getConfiguration().setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        endpoint.setCharsetName(getDefaultCharset());
        int colon = remaining.indexOf(':');
        if (colon != -1) {
            endpoint.setHostname(remaining.substring(0, colon));
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining.substring(colon + 1)));
        } else {
            endpoint.setPort(CamelContextHelper.parseInt(getCamelContext(), remaining));
        }
        setProperties(endpoint, parameters);
        if (plaintextOnLoopbackOnly && endpoint.getConfiguration().getSslContextParameters() == null
                && !isLoopback(endpoint.getHostname())) {
            throw new IllegalArgumentException("MLLP listener " + endpoint.getHostname() + ":" + endpoint.getPort()
                    + " has no TLS (record-broker.mllp.plaintext=true) and binds beyond loopback: in the prod profile a"
                    + " plaintext listener binds 127.0.0.1 (record-broker.mllp.bind-address), behind a TLS-terminating"
                    + " proxy on the same host, as plaintext MLLP authenticates no hospital");
        }
        return endpoint;
    }

    static final class GuardedEndpoint extends MllpEndpoint {
        private final PeerGuard guard;

        GuardedEndpoint(String uri, MllpComponent component, MllpConfiguration configuration, PeerGuard guard) {
            super(uri, component, configuration);
            this.guard = guard;
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new GuardedConsumer(this, processor, guard);
            configureConsumer(consumer);
            return consumer;
        }
    }

    /** The server consumer with the {@link PeerGuard}: see the class comment. */
    static final class GuardedConsumer extends MllpTcpServerConsumer {
        private static final Logger LOG = LoggerFactory.getLogger(GuardedConsumer.class);

        private final PeerGuard guard;
        private final Hl7Util util;
        private final boolean phi;
        private final ThreadPoolExecutor connections;
        /** Connections that have not delivered their first frame yet, with their timeout. */
        private final Map<TcpSocketConsumerRunnable, ScheduledFuture<?>> awaitingFirstFrame = new ConcurrentHashMap<>();

        GuardedConsumer(MllpEndpoint endpoint, Processor processor, PeerGuard guard) {
            super(endpoint, processor);
            this.guard = guard;
            this.phi = endpoint.getComponent().getLogPhi();
            this.util = new Hl7Util(endpoint.getComponent().getLogPhiMaxBytes(), phi);
            // as camel-mllp's own: at most maxConcurrentConsumers connections, none queued
            this.connections = new ThreadPoolExecutor(1, getConfiguration().getMaxConcurrentConsumers(),
                    getConfiguration().getAcceptTimeout(), TimeUnit.MILLISECONDS, new SynchronousQueue<>());
        }

        @Override
        public void startConsumer(Socket socket, MllpSocketBuffer buffer) {
            String peer = peerOf(socket);
            if (!guard.tryOpen(peer)) {
                if (guard.shouldLog(peer, "limit")) {
                    LOG.warn("MLLP peer {} already has {} connections: closing new ones (rb_mllp_connections_dropped_total)",
                            peer, guard.maxPerPeer());
                }
                buffer.resetSocket(socket);
                return;
            }
            TcpSocketConsumerRunnable client = new TcpSocketConsumerRunnable(this, socket, buffer, util, phi);
            getConsumerRunnables().put(client, System.currentTimeMillis());
            awaitingFirstFrame.put(client, guard.watchFirstFrame(() -> {
                if (awaitingFirstFrame.remove(client) == null) {
                    return false; // its first frame came in meanwhile
                }
                if (guard.shouldLog(peer, "silent")) {
                    LOG.info("MLLP peer {} sent no complete frame within {}: closing the connection", peer,
                            guard.firstFrameTimeout());
                }
                try {
                    client.stop();
                    client.resetSocket();
                } catch (RuntimeException e) {
                    LOG.debug("closing a silent MLLP connection", e);
                }
                return true;
            }));
            try {
                connections.submit(() -> {
                    try {
                        client.run();
                    } finally {
                        ScheduledFuture<?> watch = awaitingFirstFrame.remove(client);
                        if (watch != null) {
                            watch.cancel(false);
                        }
                        guard.closed(peer);
                    }
                });
                getEndpoint().updateLastConnectionEstablishedTicks();
            } catch (RejectedExecutionException full) {
                LOG.warn("MLLP listener on port {} has {} connections: closing a new one from {}",
                        getEndpoint().getPort(), getConfiguration().getMaxConcurrentConsumers(), peer);
                ScheduledFuture<?> watch = awaitingFirstFrame.remove(client);
                if (watch != null) {
                    watch.cancel(false);
                }
                getConsumerRunnables().remove(client);
                guard.closed(peer);
                buffer.resetSocket(socket);
            }
        }

        @Override
        public void processMessage(byte[] frame, TcpSocketConsumerRunnable client) {
            ScheduledFuture<?> watch = awaitingFirstFrame.remove(client);
            if (watch != null) {
                watch.cancel(false);
            }
            super.processMessage(frame, client);
        }

        @Override
        protected void doShutdown() throws Exception {
            super.doShutdown();
            connections.shutdownNow();
        }

        private static String peerOf(Socket socket) {
            InetAddress address = socket.getInetAddress();
            return address == null ? "?" : address.getHostAddress();
        }
    }
}
