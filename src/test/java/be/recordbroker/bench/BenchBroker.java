package be.recordbroker.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import be.recordbroker.RecordBrokerApplication;
import be.recordbroker.TestIo;

/** The broker with its sandbox, in the benchmark's JVM, on free ports and a fresh data directory; quiet logs. */
final class BenchBroker {

    private BenchBroker() {
    }

    static ConfigurableApplicationContext start(Path data, String... extraArgs) throws java.io.IOException {
        TestIo.deleteTree(data);
        List<String> args = arguments(data, 0);
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(RecordBrokerApplication.class).run(args.toArray(String[]::new));
    }

    /**
     * The benchmarks' broker settings, for a broker in this JVM ({@code serverPort} 0: any free port) or in a process
     * of its own ({@link SandboxHubsJvm}, which must know its port).
     */
    static List<String> arguments(Path data, int serverPort) {
        return new ArrayList<>(List.of("--record-broker.data-dir=" + data,
                "--server.port=" + serverPort, "--management.server.port=0",
                "--record-broker.mllp.port=" + TestIo.freePort(),
                "--record-broker.sites.sandbox-lge.mllp-port=" + TestIo.freePort(), "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--logging.level.be.recordbroker=WARN",
                // SOAP schema validation as in prod (face IN, clients OUT, no sandbox validation): the figures measure
                // the production setting, not the sandbox's BOTH everywhere
                "--record-broker.soap.schema-validation.face=IN", "--record-broker.soap.schema-validation.clients=OUT",
                "--record-broker.sandbox.soap-schema-validation=NONE"));
    }

    /** A benchmark's broker overrides from a system property: comma-separated key=value, as {@code --key=value}. */
    static String[] overrides(String property) {
        return java.util.Arrays.stream(System.getProperty(property, "").split(",")).map(String::strip)
                .filter(a -> !a.isEmpty()).map(a -> "--" + a).toArray(String[]::new);
    }

    /** The broker's HTTP face, on loopback. */
    static String base(ConfigurableApplicationContext broker) {
        return "http://127.0.0.1:" + broker.getEnvironment().getProperty("local.server.port");
    }
}
