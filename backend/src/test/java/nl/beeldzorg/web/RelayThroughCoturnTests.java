package nl.beeldzorg.web;

import java.time.Duration;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.Coturn;
import nl.beeldzorg.support.CallPagesTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forced relay: a real coturn on loopback with a test secret, the backend minting
 * credentials for it, and {@code iceTransportPolicy: "relay"}, so the only way media can
 * flow between the two pages is through the TURN server.
 */
class RelayThroughCoturnTests extends CallPagesTests {

	private static final String SECRET = "a-coturn-test-secret-2026";

	private static Coturn coturn;

	@DynamicPropertySource
	static void turn(DynamicPropertyRegistry registry) throws Exception {
		coturn = relayThroughCoturn(registry, "beeldzorg-relay", SECRET, SECRET);
	}

	@AfterAll
	static void stopCoturn() throws Exception {
		coturn.close();
	}

	@Test
	void callConnectsThroughTurnWhenRelayIsForced() throws Exception {
		this.pages.startConsult("K-relay-1");
		this.pages.accept();
		Map<String, Map<String, Object>> atApp = CallPages.awaitMediaFlowing(this.pages.app(), APP,
				Duration.ofSeconds(20));
		Map<String, Map<String, Object>> atGlasses = CallPages.awaitMediaFlowing(this.pages.glasses(), GLASSES,
				Duration.ofSeconds(20));
		assertThat(atApp.values()).allSatisfy((peer) -> assertThat(peer.get("localCandidate")).isEqualTo("relay"));
		assertThat(atGlasses.values()).allSatisfy((peer) -> assertThat(peer.get("localCandidate")).isEqualTo("relay"));
		assertThat(coturn.log()).contains("ALLOCATE processed, success");
	}

}
