package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.HasAuthentication;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.beans.factory.annotation.Autowired;

import be.recordbroker.SandboxIntegrationTest;
import be.recordbroker.sandbox.SandboxFaults;
import be.recordbroker.sandbox.SandboxNetwork;
import be.recordbroker.sandbox.SandboxWorld;

/**
 * The ops console in a real browser (Debian's chromium + chromium-driver, driven by Selenium; .ci/run installs them):
 * ops logs in on the management port and sees the MLLP listener and declaration routes with their exchange counts, a
 * dead letter (a hub down for every retry), replays it once the hub is back, and a user without the ops role is
 * refused. Screenshots go to target/console-screenshots/.
 */
class OpsConsoleBrowserIT extends SandboxIntegrationTest {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final String TS = "20261204101500";

    @Autowired
    SandboxNetwork sandbox;

    private WebDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void opsSeesRouteStatisticsAndReplaysADeadLetterAndOthersAreRefused() throws Exception {
        boolean required = "true".equalsIgnoreCase(System.getenv("RECORD_BROKER_REQUIRE_TOOLS"));
        boolean present = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
        assertThat(present || !required).as("chromium and chromium-driver (.ci/run installs them)").isTrue();
        Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed");
        Files.createDirectories(SHOTS);

        // traffic: one message declared, one dead-lettered because the hub refuses it (a permanent failure: a hub that
        // is merely down holds its messages until they are hours old, docs/ingest.md)
        String declared = "BRU-CONSOLE-" + System.nanoTime();
        assertThat(sendMllp(mdm(controlId("CON"), declared))).contains("MSA|AA|");
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.world().document("rsb", declared).isPresent());
        faults.set("rsb", new SandboxFaults.Faults(0, 0.0, false, true));
        String deadControl = controlId("DLQ");
        String deadDocument = "BRU-DLQ-" + System.nanoTime();
        assertThat(sendMllp(mdm(deadControl, deadDocument))).contains("MSA|AA|" + deadControl);
        String deadId = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(
                () -> deadLetterId(deadControl), id -> id != null);

        // ops logs in: the browser answers the management port's Basic challenge (as a user would in its dialog)
        browser = chromium("ops", "sandbox-ops-secret");
        String console = "http://127.0.0.1:" + managementPort;

        // 1. the routes console: listener and declaration routes with non-zero exchange counts
        browser.get(console + "/actuator/camel/route");
        screenshot("01-routes-with-statistics");
        JsonNode routes = pageJson().path("route").path("routes");
        assertThat(exchanges(routes, "hl7-mllp-listener")).isPositive();
        assertThat(exchanges(routes, "hl7-declare-rsb")).isPositive();
        assertThat(exchanges(routes, "hl7-dead-letter")).isPositive();

        // 2. the dead letter, metadata only (never content), as the same logged-in browser sees it
        browser.get(console + "/api/v1/admin/dead-letters");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains(deadControl).contains(deadId)
                .contains("SANDBOX-BRU");
        screenshot("02-dead-letter");

        // 3. the hub is back: ops replays the dead letter from the browser (the documented ops call)
        faults.clearAll();
        Object replay = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/v1/admin/dead-letters/' + encodeURIComponent(arguments[0]) + '/replay',"
                        + " {method: 'POST'}).then(r => r.text().then(t => done(r.status + ' ' + t)))"
                        + ".catch(e => done('error ' + e));", deadId);
        assertThat(String.valueOf(replay)).isEqualTo("200 {\"replayed\":1}");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.world().document("rsb", deadDocument)
                .map(d -> d.status() == SandboxWorld.Status.AVAILABLE).orElse(false));
        browser.get(console + "/api/v1/admin/dead-letters");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain(deadControl);
        screenshot("03-dead-letter-replayed");
        browser.get(console + "/actuator/camel/route");
        assertThat(exchanges(pageJson().path("route").path("routes"), "hl7-declare-rsb"))
                .isGreaterThan(exchanges(routes, "hl7-declare-rsb"));
        screenshot("04-routes-after-replay");
        browser.quit();

        // 4. a management-port user without the ops role, in a fresh browser: refused, nothing of the console shown
        browser = chromium("viewer", "sandbox-ops-secret");
        browser.get(console + "/actuator/camel/route");
        String refused = browser.findElement(By.tagName("body")).getText();
        assertThat(refused).contains("403").doesNotContain("hl7-mllp-listener").doesNotContain("exchangesTotal");
        screenshot("05-viewer-refused");
        browser.get(console + "/api/v1/admin/dead-letters");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("403").doesNotContain("SANDBOX-BRU");
        browser.quit();

        // 5. no login at all: refused; and the console is not on the main port, even for ops
        browser = chromium(null, null);
        // from a page of the same origin that is open to all (the liveness probe), the console answers 401 and asks
        // for the ops login (credentials omitted: no login dialog to wait on)
        browser.get(console + "/actuator/health/liveness");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("UP");
        assertThat(String.valueOf(((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/actuator/camel/route', {credentials: 'omit'}).then(r => done(r.status + ' '"
                        + " + r.headers.get('WWW-Authenticate'))).catch(e => done('error ' + e));")))
                .isEqualTo("401 Basic realm=\"record-broker-ops\"");
        browser.get(console + "/actuator/camel/route");
        // Chromium keeps its login dialog for the challenge (headless: an empty page) and shows nothing of the console
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("hl7-mllp-listener")
                .doesNotContain("exchangesTotal");
        screenshot("06-anonymous-refused");
        browser.quit();
        browser = chromium("ops", "sandbox-ops-secret");
        browser.get("http://127.0.0.1:" + port + "/actuator/camel/route");
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("hl7-mllp-listener")
                .doesNotContain("exchangesTotal");
        screenshot("07-not-on-the-main-port");
    }

    /** A fresh headless Chromium (own profile); with a user, it answers HTTP Basic challenges as that user. */
    private WebDriver chromium(String user, String password) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "console-browser")),
                "profile-");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        if (user != null) {
            ((HasAuthentication) driver).register(UsernameAndPassword.of(user, password));
        }
        return driver;
    }

    private JsonNode pageJson() throws Exception {
        String text = browser.findElement(By.tagName("body")).getText();
        // Chromium's JSON viewer may put a "Pretty-print" control before the document
        int start = text.indexOf('{');
        assertThat(start).as("a JSON page: " + browser.getPageSource()).isNotNegative();
        return json.readTree(text.substring(start));
    }

    private static long exchanges(JsonNode routes, String routeId) {
        for (JsonNode route : routes) {
            if (routeId.equals(route.path("routeId").asText())) {
                return route.path("statistics").path("exchangesTotal").asLong();
            }
        }
        throw new AssertionError("no route " + routeId + " in the console: " + routes.toString());
    }

    private void screenshot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private String deadLetterId(String controlId) throws Exception {
        JsonNode list = json.readTree(opsGet("/api/v1/admin/dead-letters").body()).path("deadLetters");
        for (JsonNode d : list) {
            if (controlId.equals(d.path("controlId").asText())) {
                return d.path("id").asText();
            }
        }
        return null;
    }

    private static String controlId(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000_000;
    }

    /** An MDM^T02 of the Brussels sandbox hospital (hub rsb) for a fresh patient, with a small embedded document. */
    private static String mdm(String controlId, String documentNumber) {
        String content = Base64.getEncoder().encodeToString(
                "%PDF-1.4\n% ops console test\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        return "MSH|^~\\&|TEST-HIS|SANDBOX-BRU|RECORD-BROKER|RECORD-BROKER|" + TS + "||MDM^T02^MDM_T02|" + controlId
                + "|P|2.5|||||||8859/1\r"
                + "EVN|T02|" + TS + "\r"
                + "PID|1||" + freshPatient() + "^^^BE-NN^NN||Testpatient^Ann||19800101|F\r"
                + "PV1|1|O\r"
                + "TXA|1|contactreport^Consultation report|AP|" + TS + "|12345625004^Verstraeten^An|" + TS
                + "||||||" + documentNumber + "|||||AU||AV\r"
                + "OBX|1|ED|contactreport^Consultation report^L||SANDBOX^AP^PDF^Base64^" + content + "||||||F\r";
    }

    /** One MLLP frame on its own socket; returns the ACK. */
    private static String sendMllp(String er7) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", MLLP_PORT)) {
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x0b);
            frame.write(er7.getBytes(StandardCharsets.ISO_8859_1));
            frame.write(0x1c);
            frame.write(0x0d);
            socket.getOutputStream().write(frame.toByteArray());
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != 0x1c; b = in.read()) {
                if (b != 0x0b) {
                    ack.write(b);
                }
            }
            return ack.toString(StandardCharsets.ISO_8859_1).replace('\r', '\n');
        }
    }
}
