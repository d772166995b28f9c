package nl.beeldzorg.system;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import nl.beeldzorg.signalling.SignallingError;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client-facing contract in the repository (docs/API.md) stays in step with the
 * generated OpenAPI document: it names every path the server publishes, and every code a
 * client can be refused with.
 */
class ApiDocsInStepTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-api-docs");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void docsApiNamesEveryPathOfTheOpenApiDocument() throws Exception {
		JsonNode openApi = openApi();
		List<String> paths = new ArrayList<>(openApi.path("paths").propertyNames());
		assertThat(paths).as("the OpenAPI document's paths").hasSizeGreaterThan(40).contains("/api/v1/consults");
		String docs = docs();
		assertThat(paths.stream().filter((path) -> !names(docs, path)).toList())
			.as("paths of /v3/api-docs that docs/API.md does not name")
			.isEmpty();
	}

	@Test
	void docsApiNamesEveryProblemFieldAndSignallingCode() throws Exception {
		String docs = docs();
		List<String> missing = new ArrayList<>();
		for (ErrorCode code : ErrorCode.values()) {
			missing.add(code.code());
		}
		for (FieldErrorCode code : FieldErrorCode.values()) {
			missing.add(code.code());
		}
		for (SignallingError error : SignallingError.values()) {
			missing.add(error.code());
		}
		missing.removeIf((code) -> docs.contains("`" + code + "`"));
		assertThat(missing).as("codes docs/API.md does not name").isEmpty();
	}

	/**
	 * The document. A request during springdoc's start-up build of it waits for the build
	 * (served off the event loop, see OpenApiConfiguration), so a long answer is allowed.
	 */
	private JsonNode openApi() {
		return this.http.mutate()
			.responseTimeout(java.time.Duration.ofSeconds(60))
			.build()
			.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * The whole path, not a longer one it begins: {@code /consults} is not
	 * {@code /consults/{id}}.
	 */
	private static boolean names(String docs, String path) {
		return Pattern.compile("[`\\s]" + Pattern.quote(path) + "(?=[`\\s?,)])").matcher(docs).find();
	}

	private static String docs() throws Exception {
		Path docs = Path.of("..", "docs", "API.md");
		assertThat(docs).as("docs/API.md beside the backend module").exists();
		return Files.readString(docs, StandardCharsets.UTF_8);
	}

}
