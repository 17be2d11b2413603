package be.recordbroker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import be.recordbroker.domain.Hub;
import be.recordbroker.domain.HubDirectory;
import be.recordbroker.kmehr.HubClients;
import be.recordbroker.network.Network;
import be.recordbroker.search.FederatedSearch;
import be.recordbroker.search.SearchPage;

/**
 * The warm-up begins when the main HTTP server listens, beside the rest of the start (issue 17), and searches only
 * once the application has started (the search runs through Camel routes).
 */
class WarmUpTest {

    private final HubClients clients = mock(HubClients.class);
    private final Network network = mock(Network.class);
    private final HubDirectory hubs = mock(HubDirectory.class);
    private final FederatedSearch search = mock(FederatedSearch.class);
    private final JwtDecoder bearerTokens = mock(JwtDecoder.class);
    private final WarmUpProperties properties = new WarmUpProperties();

    WarmUpTest() {
        when(search.hubTimeout(anyString())).thenReturn(Duration.ofSeconds(5));
        when(network.hubs()).thenReturn(hubs);
        when(hubs.all()).thenReturn(List.of(new Hub("rsb", "1990000332", "RSB", "Brussels"),
                new Hub("cozo", "1990000134", "CoZo", "Flanders")));
        when(bearerTokens.decode(anyString())).thenThrow(new BadJwtException("no key"));
    }

    @Test
    void hubClientsAndKeySetAreMadeOnceTheMainServerListensBeforeTheApplicationIsReady() {
        WarmUp warmUp = new WarmUp(clients, network, search, properties, bearerTokens);
        assertThat(warmUp.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        warmUp.onApplicationEvent(serverListens(null));

        await().atMost(Duration.ofSeconds(10)).until(warmUp::isDone);
        verify(clients).hub("rsb");
        verify(clients).hub("cozo");
        verify(clients).hub("rsb", Duration.ofSeconds(5)); // the search's ports, with its timeout
        verify(clients).hub("cozo", Duration.ofSeconds(5));
        verify(clients).metahub();
        verify(bearerTokens).decode(anyString());
        assertThat(warmUp.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void theManagementServerDoesNotBeginIt() throws InterruptedException {
        WarmUp warmUp = new WarmUp(clients, network, search, properties, bearerTokens);

        warmUp.onApplicationEvent(serverListens("management"));

        Thread.sleep(300);
        verify(clients, never()).metahub();
        assertThat(warmUp.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        warmUp.onApplicationEvent(ready());
        await().atMost(Duration.ofSeconds(10)).until(warmUp::isDone);
        verify(clients).metahub();
    }

    @Test
    void searchesWaitForTheApplicationToStart() {
        properties.setPatient("61031512350");
        properties.setProfessional("12345625004");
        properties.setIterations(8);
        SearchPage page = mock(SearchPage.class);
        when(page.complete()).thenReturn(true);
        when(search.search(any(), any(), any())).thenReturn(page);
        WarmUp warmUp = new WarmUp(clients, network, search, properties, bearerTokens);

        warmUp.onApplicationEvent(serverListens(null));

        verify(clients, timeout(10_000)).metahub();
        verify(bearerTokens, timeout(10_000)).decode(anyString());
        assertThat(warmUp.isDone()).isFalse();
        verify(search, never()).search(any(), any(), any());
        warmUp.onApplicationEvent(ready());
        await().atMost(Duration.ofSeconds(30)).until(warmUp::isDone);
        verify(search, timeout(1_000).atLeast(2)).search(any(), any(), any());
        assertThat(warmUp.health().getDetails().get("warmUp").toString()).startsWith("done in ");
    }

    private static WebServerInitializedEvent serverListens(String namespace) {
        WebServerApplicationContext context = mock(WebServerApplicationContext.class);
        when(context.getServerNamespace()).thenReturn(namespace);
        return new WebServerInitializedEvent(mock(WebServer.class)) {
            @Override
            public WebServerApplicationContext getApplicationContext() {
                return context;
            }
        };
    }

    private static ApplicationReadyEvent ready() {
        return new ApplicationReadyEvent(new SpringApplication(), new String[0],
                mock(ConfigurableApplicationContext.class), Duration.ZERO);
    }
}
