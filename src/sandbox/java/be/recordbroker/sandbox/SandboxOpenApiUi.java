package be.recordbroker.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Swagger UI on the REST face's OpenAPI contract, in the sandbox only: {@code GET /sandbox/openapi}. The UI's files are
 * the {@code org.webjars:swagger-ui} jar, a test-scope dependency like the sandbox itself, so neither is in the
 * broker's jar. The contract needs a bearer token (it is under {@code /api/**}); the page mints the sandbox GP's token
 * from {@code /sandbox/token} and sends it with every request the UI makes ("Authorize" takes another one, e.g. a
 * patient's).
 */
@Configuration(proxyBeanMethods = false)
@Profile("sandbox")
class SandboxOpenApiUi implements WebMvcConfigurer {

    static final String PAGE = "/sandbox/openapi";
    static final String FILES = "/sandbox/swagger-ui/";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(FILES + "**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/");
    }

    /** The webjar's version, from its own Maven metadata (its files sit under a versioned folder). */
    static String webjarVersion() {
        try (InputStream in = SandboxOpenApiUi.class.getResourceAsStream(
                "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is not on the sandbox's class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the swagger-ui webjar's version", e);
        }
    }

    @RestController
    @Profile("sandbox")
    static class Page {

        @GetMapping(path = PAGE, produces = MediaType.TEXT_HTML_VALUE)
        String page() {
            return """
                    <!DOCTYPE html>
                    <html lang="en">
                    <head>
                      <meta charset="utf-8">
                      <title>record-broker REST face (sandbox)</title>
                      <link rel="stylesheet" href="%1$sswagger-ui.css">
                    </head>
                    <body>
                    <div id="swagger-ui"></div>
                    <script src="%1$sswagger-ui-bundle.js"></script>
                    <script src="%1$sswagger-ui-standalone-preset.js"></script>
                    <script>
                      // the sandbox GP (seed): a demo identity, minted by the sandbox only
                      fetch('/sandbox/token', {method: 'POST', headers: {'Content-Type': 'application/json'},
                          body: JSON.stringify({nihii: '12345625004', profession: 'persphysician',
                                                name: 'An Verstraeten'})})
                        .then(r => r.json())
                        .then(minted => {
                          const ui = SwaggerUIBundle({
                            url: '/api/v1/openapi.json',
                            dom_id: '#swagger-ui',
                            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                            layout: 'StandaloneLayout',
                            requestInterceptor: request => {
                              if (!request.headers.Authorization) {
                                request.headers.Authorization = 'Bearer ' + minted.token;
                              }
                              return request;
                            },
                            onComplete: () => ui.preauthorizeApiKey('bearer', minted.token)
                          });
                        });
                    </script>
                    </body>
                    </html>
                    """.formatted(FILES);
        }
    }
}
