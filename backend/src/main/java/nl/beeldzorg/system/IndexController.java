package nl.beeldzorg.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: what is running here, and where to go next.
 */
@RestController
class IndexController {

	private final BeeldzorgProperties properties;

	private final String version;

	IndexController(BeeldzorgProperties properties, ObjectProvider<BuildProperties> build) {
		this.properties = properties;
		BuildProperties info = build.getIfAvailable();
		this.version = (info != null) ? info.getVersion() : "development";
	}

	@GetMapping("/")
	Map<String, Object> index() {
		Map<String, Object> index = new LinkedHashMap<>();
		index.put("service", "Beeldzorg");
		index.put("description", "Video consults for elderly care: a nurse with smart glasses at the bedside,"
				+ " an elderly-care physician (SO) joining from a distance, and the time it saved measured.");
		index.put("version", this.version);
		index.put("mode", this.properties.demo().enabled() ? "demo" : "production");
		Map<String, String> links = new LinkedHashMap<>();
		// The four pages first: what a person who opens the server's address is looking
		// for.
		links.put("glasses", "/glasses/");
		links.put("app", "/app/");
		links.put("huisarts", "/huisarts/");
		links.put("programme", "/programme/");
		links.put("openapi", "/v3/api-docs");
		links.put("apiDocs", "/swagger-ui.html");
		links.put("health", "/actuator/health");
		links.put("signalling", "/ws/signalling");
		if (this.properties.demo().enabled()) {
			links.put("demoUsers", "/demo/users");
			links.put("demoToken", "POST /demo/token {\"username\":\"nurse.anna\"}");
		}
		index.put("links", links);
		return index;
	}

}
