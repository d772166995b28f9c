package nl.beeldzorg.web;

import java.util.List;

import nl.beeldzorg.system.BeeldzorgProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/client-config}, readable without a token: what a page needs before
 * anyone signed in (how to sign in, what to ask of camera and network).
 */
@RestController
class ClientConfigController {

	private final ClientConfig config;

	ClientConfigController(BeeldzorgProperties properties) {
		boolean demo = properties.demo().enabled();
		BeeldzorgProperties.Identity identity = properties.identity();
		SignIn signIn = demo ? new SignIn("demo", null, null, null)
				: new SignIn("oidc", identity.issuerUri(), identity.clientId(), "openid profile");
		BeeldzorgProperties.Clients clients = properties.clients();
		this.config = new ClientConfig(demo ? "demo" : "production", signIn, properties.ice().transportPolicy(),
				new Video(clients.videoWidth(), clients.videoHeight(), clients.maxVideoKbps()), List.of("nl", "en"),
				"nl");
	}

	@GetMapping("/api/v1/client-config")
	ClientConfig clientConfig() {
		return this.config;
	}

	/**
	 * @param mode {@code demo} or {@code production}
	 * @param signIn how users sign in
	 * @param iceTransportPolicy {@code all} or {@code relay}, for
	 * {@code RTCConfiguration}
	 * @param video what the glasses ask of the camera, and the bitrate cap
	 * @param languages interface languages
	 * @param defaultLanguage the language shown first
	 */
	record ClientConfig(String mode, SignIn signIn, String iceTransportPolicy, Video video, List<String> languages,
			String defaultLanguage) {
	}

	/**
	 * @param kind {@code demo} (pick a demo user) or {@code oidc} (authorization code
	 * with PKCE)
	 * @param authority the OIDC issuer
	 * @param clientId the public client
	 * @param scope scopes asked for
	 */
	record SignIn(String kind, @Nullable String authority, @Nullable String clientId, @Nullable String scope) {
	}

	/**
	 * @param width camera width
	 * @param height camera height
	 * @param maxKbps video bitrate cap
	 */
	record Video(int width, int height, int maxKbps) {
	}

}
