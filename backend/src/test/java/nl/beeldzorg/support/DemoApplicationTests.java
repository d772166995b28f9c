package nl.beeldzorg.support;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The application in demo mode on a random port, with clients for its API. Subclasses
 * give the database ({@code beeldzorg.database.url}) with a
 * {@code @DynamicPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
public abstract class DemoApplicationTests {

	@LocalServerPort
	protected int port;

	protected WebTestClient http;

	protected ApiClient api;

	@BeforeEach
	protected void client() {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.api = new ApiClient(this.port);
	}

}
