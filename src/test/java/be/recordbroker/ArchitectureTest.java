package be.recordbroker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages' layers, checked on the production classes (src/main; the sandbox and the tests are test sources and
 * not imported). Each layer uses only the layers below it:
 *
 * <pre>
 *   Application (RecordBrokerApplication)
 *   Config       config            wiring: every @Configuration that builds beans across layers, the properties,
 *                                  the filter chains of every face (config.SecurityConfiguration)
 *   Routes       routes            the Camel routes behind the REST and SOAP faces, ingest, declaration
 *   Faces        rest  soap  fhir  ops      one face never uses another; ops is the management face (health,
 *                                  admin endpoints, metrics) on the management port
 *   Face support web  security  admission   what every face shares about a request: its id, trace id and problem
 *                                  answer, the HTTP faces' input checks and document streaming (web); who is calling
 *                                  and how callers prove it (security); overload admission (admission) — below the
 *                                  faces because REST, SOAP, FHIR and the routes all use them
 *   Flows        ingest  search  retrieve
 *   Adapters     audit  kmehr      the audit trail and the outbound hub client (retrieve's document sources stay in
 *                                  retrieve: nothing outside retrieve uses them)
 *   Rules        access  hl7  network
 *   Domain       domain
 * </pre>
 *
 * The WSDL-generated types ({@code be.recordbroker.metahub}, {@code be.fgov..}) belong to no layer. No two packages
 * may depend on each other, even within a layer. ArchUnit reads bytecode, where a compile-time constant of another
 * package (a header name, an endpoint URI) is inlined and leaves no trace, so the sources' references are checked
 * against the same layers too.
 */
@AnalyzeClasses(packages = "be.recordbroker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Bottom up; a package may use the packages of the layers listed before its own (and its own layer's). */
    private static final Map<String, List<String>> LAYERS = orderedLayers(
            "Domain", List.of("domain"),
            "Rules", List.of("access", "hl7", "network"),
            "Adapters", List.of("audit", "kmehr"),
            "Flows", List.of("ingest", "search", "retrieve"),
            "FaceSupport", List.of("web", "security", "admission"),
            "Rest", List.of("rest"),
            "Soap", List.of("soap"),
            "Fhir", List.of("fhir"),
            "Ops", List.of("ops"),
            "Routes", List.of("routes"),
            "Config", List.of("config"));

    /** The faces: none may use another; the routes may use the REST and SOAP faces' helpers, not FHIR's nor ops'. */
    private static final List<String> FACES = List.of("Rest", "Soap", "Fhir", "Ops");
    private static final List<String> ROUTES_USE = List.of("Rest", "Soap");

    @ArchTest
    static final ArchRule eachLayerUsesOnlyTheLayersBelowIt = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Domain").definedBy(packages("Domain"))
            .layer("Rules").definedBy(packages("Rules"))
            .layer("Adapters").definedBy(packages("Adapters"))
            .layer("Flows").definedBy(packages("Flows"))
            .layer("FaceSupport").definedBy(packages("FaceSupport"))
            .layer("Rest").definedBy(packages("Rest"))
            .layer("Soap").definedBy(packages("Soap"))
            .layer("Fhir").definedBy(packages("Fhir"))
            .layer("Ops").definedBy(packages("Ops"))
            .layer("Routes").definedBy(packages("Routes"))
            .layer("Config").definedBy(packages("Config"))
            .layer("Application").definedBy("be.recordbroker")

            .whereLayer("Domain").mayNotAccessAnyLayer()
            .whereLayer("Rules").mayOnlyAccessLayers(usable("Rules"))
            .whereLayer("Adapters").mayOnlyAccessLayers(usable("Adapters"))
            .whereLayer("Flows").mayOnlyAccessLayers(usable("Flows"))
            .whereLayer("FaceSupport").mayOnlyAccessLayers(usable("FaceSupport"))
            .whereLayer("Rest").mayOnlyAccessLayers(usable("Rest"))
            .whereLayer("Soap").mayOnlyAccessLayers(usable("Soap"))
            .whereLayer("Fhir").mayOnlyAccessLayers(usable("Fhir"))
            .whereLayer("Ops").mayOnlyAccessLayers(usable("Ops"))
            .whereLayer("Routes").mayOnlyAccessLayers(usable("Routes"))
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Application");

    @ArchTest
    static final ArchRule noTwoPackagesDependOnEachOther = slices().matching("be.recordbroker.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule productionCodeNeverUsesTheSandbox = noClasses()
            .should().dependOnClassesThat().resideInAPackage("be.recordbroker.sandbox..");

    @Test
    void theSourcesReferOnlyToTheLayersBelowToo() throws IOException {
        Path root = Path.of("src/main/java/be/recordbroker");
        Pattern reference = Pattern.compile("\\bbe\\.recordbroker\\.([a-z0-9]+)\\.[A-Za-z]");
        Set<String> misplaced = new TreeSet<>();
        int references = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = root.relativize(file);
                String from = relative.getNameCount() > 1 ? relative.getName(0).toString() : null;
                String fromLayer = from == null ? "Application" : layerOf(from);
                Matcher m = reference.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1);
                    if (to.equals(from) || fromLayer == null || "Application".equals(fromLayer)) {
                        continue;
                    }
                    references++;
                    String toLayer = layerOf(to);
                    boolean allowed = "sandbox".equals(to) ? false
                            : toLayer == null || List.of(usable(fromLayer)).contains(toLayer)
                            || toLayer.equals(fromLayer) && !FACES.contains(fromLayer);
                    if (!allowed) {
                        misplaced.add(relative + " -> " + to);
                    }
                }
            }
        }
        assertThat(references).as("references between packages found in the sources").isPositive();
        assertThat(misplaced).as("references to a package of a layer above, of another face, or to the sandbox")
                .isEmpty();
    }

    private static Map<String, List<String>> orderedLayers(Object... nameThenPackages) {
        Map<String, List<String>> layers = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameThenPackages.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> packages = (List<String>) nameThenPackages[i + 1];
            layers.put((String) nameThenPackages[i], packages);
        }
        return layers;
    }

    private static String[] packages(String layer) {
        return LAYERS.get(layer).stream().map(p -> "be.recordbroker." + p + "..").toArray(String[]::new);
    }

    /** The layers a layer may use: every layer below it, except that a face uses no other face. */
    private static String[] usable(String layer) {
        List<String> below = new ArrayList<>();
        for (String name : LAYERS.keySet()) {
            if (name.equals(layer)) {
                break;
            }
            if (!FACES.contains(name) || "Routes".equals(layer) && ROUTES_USE.contains(name)
                    || "Config".equals(layer)) {
                below.add(name);
            }
        }
        return below.toArray(String[]::new);
    }

    private static String layerOf(String packageName) {
        return LAYERS.entrySet().stream().filter(e -> e.getValue().contains(packageName)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
