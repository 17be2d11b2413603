package be.recordbroker.kmehr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.Unmarshaller;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import be.fgov.ehealth.standards.kmehr.schema.v1.KmehrmessageType;
import be.recordbroker.Corpora;
import be.recordbroker.conformance.Conformance;

/**
 * The KMEHR samples of {@code ../shared/corpora/kmehr} ({@link Corpora}) against what the broker reads KMEHR with: the schema it serves and validates hub
 * answers with ({@code src/main/resources/wsdl/kmehr-v1.xsd}, a subset of KMEHR 1.x) and its JAXB model (generated
 * from that schema). Each sample's {@code kmehrmessage} (the root, or inside a SOAP body) is validated and read;
 * a sample that is not a KMEHR message, or fails, is listed with the corpus' own verdict against eHealth's full XSDs
 * (its MANIFEST.txt) beside the broker's message. Writes the "kmehr" section of the conformance report
 * (docs/conformance.md).
 */
class KmehrCorpusIT {

    private static final String KMEHR_NS = "http://www.ehealth.fgov.be/standards/kmehr/schema/v1";

    @Test
    void everyKmehrSampleIsValidatedAndReadWithTheBrokersSchemaAndModel() throws Exception {
        Path root = Corpora.require("kmehr");
        List<Path> samples;
        try (Stream<Path> files = Files.walk(root.resolve("samples"))) {
            samples = files.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(samples).isNotEmpty();
        Map<String, String> verdicts = manifestVerdicts(root.resolve("MANIFEST.txt"));
        URL served = KmehrCorpusIT.class.getResource("/wsdl/kmehr-v1.xsd");
        assertThat(served).as("the served KMEHR schema").isNotNull();
        Schema schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(served);
        JAXBContext jaxb = JAXBContext.newInstance(KmehrmessageType.class);
        DocumentBuilderFactory dom = DocumentBuilderFactory.newInstance();
        dom.setNamespaceAware(true);
        dom.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);

        int kmehr = 0;
        int valid = 0;
        int read = 0;
        StringBuilder rows = new StringBuilder();
        for (Path sample : samples) {
            String name = root.relativize(sample).toString();
            Document doc = dom.newDocumentBuilder().parse(sample.toFile());
            Element message = kmehrmessage(doc);
            String validity;
            String reading;
            if (message == null) {
                validity = "not a KMEHR message (root " + doc.getDocumentElement().getNamespaceURI() + " "
                        + doc.getDocumentElement().getLocalName() + ")";
                reading = "—";
            } else {
                kmehr++;
                try {
                    schema.newValidator().validate(new DOMSource(message));
                    validity = "valid";
                    valid++;
                } catch (org.xml.sax.SAXException e) {
                    validity = "invalid: " + e.getMessage();
                }
                try {
                    Unmarshaller unmarshaller = jaxb.createUnmarshaller();
                    unmarshaller.setEventHandler(event -> false); // any unknown or malformed content is a failure
                    KmehrmessageType parsed = unmarshaller.unmarshal(message, KmehrmessageType.class).getValue();
                    reading = "read: " + parsed.getFolder().size() + " folder(s)";
                    read++;
                } catch (jakarta.xml.bind.JAXBException | RuntimeException e) {
                    reading = "not read: " + (e.getMessage() != null ? e.getMessage()
                            : e.getCause() != null ? e.getCause().getMessage() : e.getClass().getSimpleName());
                }
            }
            rows.append("| ").append(name).append(" | ").append(cell(validity)).append(" | ").append(cell(reading))
                    .append(" | ").append(cell(verdicts.getOrDefault(name, ""))).append(" |\n");
        }
        String md = "## KMEHR: the broker's served schema and JAXB model\n\n"
                + "Every KMEHR sample of the corpus (`KmehrCorpusIT`): its `kmehrmessage` (the root, or inside a SOAP"
                + " body) validated against the schema the broker serves and checks hub answers with"
                + " (`src/main/resources/wsdl/kmehr-v1.xsd`) and read with the broker's JAXB model (strict: any"
                + " unexpected content fails).\n\n"
                + "- samples: " + samples.size() + ", of which KMEHR messages: " + kmehr + "\n"
                + "- valid against the served schema: **" + Conformance.rate(valid, kmehr) + "**\n"
                + "- read by the JAXB model: **" + Conformance.rate(read, kmehr) + "**\n\n"
                + "| sample | served schema | JAXB model | the corpus' verdict against eHealth's full XSDs |\n"
                + "|---|---|---|---|\n" + rows;
        Conformance.section("kmehr", md);
        System.out.print(md);
        assertThat(kmehr).isPositive();
        // a KMEHR message the broker cannot read is a finding to explain in docs/conformance.md, not a silent rate
        assertThat(valid).as("KMEHR messages valid against the served schema").isEqualTo(kmehr);
        assertThat(read).as("KMEHR messages read by the JAXB model").isEqualTo(kmehr);
    }

    private static Element kmehrmessage(Document doc) {
        NodeList found = doc.getElementsByTagNameNS(KMEHR_NS, "kmehrmessage");
        return found.getLength() > 0 ? (Element) found.item(0) : null;
    }

    /** The corpus' MANIFEST.txt: a tab-separated table; file name to its notes and its xsd check. */
    private static Map<String, String> manifestVerdicts(Path manifest) throws IOException {
        Map<String, String> verdicts = new HashMap<>();
        if (!Files.exists(manifest)) {
            return verdicts;
        }
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            String[] cols = line.split("\t");
            if (cols.length >= 8 && cols[0].startsWith("samples/")) {
                verdicts.put(cols[0], cols[7] + ("-".equals(cols[6]) ? "" : " (" + cols[6] + ")"));
            }
        }
        return verdicts;
    }

    private static String cell(String text) {
        String one = text.replace('|', '/').replace('\r', ' ').replace('\n', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}
