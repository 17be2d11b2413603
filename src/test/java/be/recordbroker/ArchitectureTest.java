package be.recordbroker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
 * may depend on each other, even within a layer.
 */
@AnalyzeClasses(packages = "be.recordbroker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule eachLayerUsesOnlyTheLayersBelowIt = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Domain").definedBy("be.recordbroker.domain..")
            .layer("Rules").definedBy("be.recordbroker.access..", "be.recordbroker.hl7..", "be.recordbroker.network..")
            .layer("Adapters").definedBy("be.recordbroker.audit..", "be.recordbroker.kmehr..")
            .layer("Flows").definedBy("be.recordbroker.ingest..", "be.recordbroker.search..", "be.recordbroker.retrieve..")
            .layer("FaceSupport").definedBy("be.recordbroker.web..", "be.recordbroker.security..",
                    "be.recordbroker.admission..")
            .layer("Rest").definedBy("be.recordbroker.rest..")
            .layer("Soap").definedBy("be.recordbroker.soap..")
            .layer("Fhir").definedBy("be.recordbroker.fhir..")
            .layer("Ops").definedBy("be.recordbroker.ops..")
            .layer("Routes").definedBy("be.recordbroker.routes..")
            .layer("Config").definedBy("be.recordbroker.config..")
            .layer("Application").definedBy("be.recordbroker")

            .whereLayer("Domain").mayNotAccessAnyLayer()
            .whereLayer("Rules").mayOnlyAccessLayers("Domain")
            .whereLayer("Adapters").mayOnlyAccessLayers("Domain", "Rules")
            .whereLayer("Flows").mayOnlyAccessLayers("Domain", "Rules", "Adapters")
            .whereLayer("FaceSupport").mayOnlyAccessLayers("Domain", "Rules", "Adapters", "Flows")
            .whereLayer("Rest").mayOnlyAccessLayers("Domain", "Rules", "Adapters", "Flows", "FaceSupport")
            .whereLayer("Soap").mayOnlyAccessLayers("Domain", "Rules", "Adapters", "Flows", "FaceSupport")
            .whereLayer("Fhir").mayOnlyAccessLayers("Domain", "Rules", "Adapters", "Flows", "FaceSupport")
            .whereLayer("Ops").mayOnlyAccessLayers("Domain", "Rules", "Adapters", "Flows", "FaceSupport")
            .whereLayer("Routes").mayOnlyAccessLayers("Domain", "Rules", "Adapters", "Flows", "FaceSupport",
                    "Rest", "Soap")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Application");

    @ArchTest
    static final ArchRule noTwoPackagesDependOnEachOther = slices().matching("be.recordbroker.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule productionCodeNeverUsesTheSandbox = noClasses()
            .should().dependOnClassesThat().resideInAPackage("be.recordbroker.sandbox..");
}
