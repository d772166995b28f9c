package nl.beeldzorg.edge;

import java.util.List;
import java.util.Map;

import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import nl.beeldzorg.security.DemoIssuer;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may see the actuator (health: anyone; the rest: {@code OPERATOR} only), and the
 * security headers on every page, asset and API answer.
 */
class ActuatorAndSecurityHeadersTests extends DemoApplicationTests {

	private static final List<String> HEALTH = List.of("/actuator/health", "/actuator/health/liveness",
			"/actuator/health/readiness");

	private static final List<String> OPERATOR_ONLY = List.of("/actuator", "/actuator/metrics",
			"/actuator/metrics/jvm.memory.used", "/actuator/prometheus", "/actuator/info");

	@Autowired
	DemoIssuer issuer;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-headers");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void healthIsOpenToAllAndTheRestOfTheActuatorOnlyToOperators() {
		String operator = this.issuer
			.issue(new DemoUser("op-1", "operator.otto", "Otto", null, null, null, List.of("OPERATOR")));
		Map<String, String> callers = new java.util.LinkedHashMap<>();
		callers.put("nobody", null);
		callers.put("nurse", this.api.token("nurse.anna"));
		callers.put("admin", this.api.token("admin.ada"));
		callers.put("programme", this.api.token("programme.pim"));
		callers.put("operator", operator);
		callers.forEach((who, token) -> {
			for (String path : HEALTH) {
				assertThat(status(path, token)).as(who + " " + path).isEqualTo(HttpStatus.OK);
			}
			for (String path : OPERATOR_ONLY) {
				HttpStatus expected = switch (who) {
					case "nobody" -> HttpStatus.UNAUTHORIZED;
					case "operator" -> HttpStatus.OK;
					default -> HttpStatus.FORBIDDEN;
				};
				assertThat(status(path, token)).as(who + " " + path).isEqualTo(expected);
			}
		});
		String metrics = this.http.get()
			.uri("/actuator/prometheus")
			.headers((headers) -> headers.setBearerAuth(operator))
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).contains("beeldzorg_signalling_rooms");
		this.http.get()
			.uri("/actuator/metrics")
			.headers((headers) -> headers.setBearerAuth(this.api.token("nurse.anna")))
			.exchange()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("auth.forbidden");
	}

	@Test
	void everyPageAssetAndAnswerCarriesAStrictPolicyAndOnlyCallPagesMayUseTheCamera() {
		List<String> callPages = List.of("/app/", "/glasses/");
		List<String> otherPages = List.of("/huisarts/", "/programme/");
		List<String> assets = List.of("/common/ui.js", "/common/pages.css", "/common/i18n.js", "/app/sw.js",
				"/app/manifest.webmanifest", "/app/icon.svg", "/glasses/glasses.js", "/vendor/oidc-client-ts.min.js",
				"/webjars/chart.js/dist/chart.umd.js", "/api/v1/client-config", "/", "/actuator/health",
				"/no-such-page");
		for (String path : concat(callPages, otherPages, assets)) {
			HttpHeaders headers = get(path).getResponseHeaders();
			String policy = headers.getFirst("Content-Security-Policy");
			assertThat(policy).as(path).isNotNull();
			List<String> directives = List.of(policy.split(";\\s*"));
			assertThat(directives).as(path)
				.contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
						"base-uri 'none'", "frame-ancestors 'none'", "img-src 'self' data: blob:");
			assertThat(policy).as(path).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
			assertThat(directives.stream().filter((d) -> d.startsWith("connect-src ")).findFirst().orElseThrow())
				.as(path)
				.contains("'self'")
				.contains("ws://127.0.0.1:" + this.port);
			assertThat(headers.getFirst("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
			assertThat(headers.getFirst("Referrer-Policy")).as(path).isEqualTo("same-origin");
			assertThat(headers.get("Content-Security-Policy")).as(path).hasSize(1);
			String permissions = headers.getFirst("Permissions-Policy");
			if (callPages.contains(path)) {
				assertThat(permissions).as(path).contains("camera=(self)", "microphone=(self)");
			}
			else {
				assertThat(permissions).as(path).contains("camera=()", "microphone=()");
			}
		}
	}

	@Test
	void issuerOriginIsDerivedFromTheConfiguredIssuer() {
		assertThat(SecurityHeaders.origin("https://login.example.org/realms/beeldzorg"))
			.isEqualTo("https://login.example.org");
		assertThat(SecurityHeaders.origin("http://127.0.0.1:8180/realms/beeldzorg/"))
			.isEqualTo("http://127.0.0.1:8180");
		assertThat(SecurityHeaders.origin("urn:beeldzorg:demo")).isEmpty();
		assertThat(SecurityHeaders.origin(null)).isEmpty();
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
	}

	private EntityExchangeResult<byte[]> get(String path) {
		return this.http.get().uri(path).exchange().expectBody().returnResult();
	}

	private HttpStatus status(String path, String token) {
		return HttpStatus.valueOf(this.http.get().uri(path).headers((headers) -> {
			if (token != null) {
				headers.setBearerAuth(token);
			}
		}).exchange().expectBody().returnResult().getStatus().value());
	}

}
