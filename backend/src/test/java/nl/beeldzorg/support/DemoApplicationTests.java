package nl.beeldzorg.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The application in demo mode on a random port, with clients for its API. Subclasses
 * give the database ({@code beeldzorg.database.url}) with a
 * {@code @DynamicPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
// Tests count their own consults: the seeded year of demo history is off unless a test
// turns it on.
@TestPropertySource(properties = "beeldzorg.demo.history=false")
public abstract class DemoApplicationTests {

	@LocalServerPort
	protected int port;

	protected WebTestClient http;

	protected ApiClient api;

	private final List<SseTestClient> openApps = new ArrayList<>();

	@BeforeEach
	protected void client() {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.api = new ApiClient(this.port);
	}

	/**
	 * Demo consultants open their app (an event stream), so routing rings them.
	 * @param usernames demo usernames
	 */
	protected void present(String... usernames) {
		for (String username : usernames) {
			this.openApps.add(this.api.present(this.api.token(username)));
		}
	}

	@AfterEach
	protected void closeApps() {
		this.openApps.forEach(SseTestClient::close);
		this.openApps.clear();
	}

}
