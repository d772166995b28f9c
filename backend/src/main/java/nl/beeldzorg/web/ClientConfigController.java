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
		String deviceClientId = (identity.deviceClientId() != null && !identity.deviceClientId().isBlank())
				? identity.deviceClientId() : null;
		Device device = demo ? new Device("/demo", "beeldzorg-glasses")
				: ((deviceClientId != null) ? new Device(identity.issuerUri(), deviceClientId) : null);
		SignIn signIn = demo ? new SignIn("demo", null, null, null, device)
				: new SignIn("oidc", identity.issuerUri(), identity.clientId(),
						(identity.scope() != null && !identity.scope().isBlank()) ? identity.scope() : "openid profile",
						device);
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
	 * @param device sign-in without a keyboard (the glasses), or {@code null} when not
	 * offered
	 */
	record SignIn(String kind, @Nullable String authority, @Nullable String clientId, @Nullable String scope,
			@Nullable Device device) {
	}

	/**
	 * The OAuth 2.0 Device Authorization Grant (RFC 8628): the glasses show a short code,
	 * the user approves it on a phone.
	 *
	 * @param authority the issuer whose {@code /.well-known/openid-configuration} names
	 * the {@code device_authorization_endpoint} and {@code token_endpoint} ({@code /demo}
	 * in demo mode, relative to the page)
	 * @param clientId the public client the device signs in as
	 */
	record Device(String authority, String clientId) {
	}

	/**
	 * @param width camera width
	 * @param height camera height
	 * @param maxKbps video bitrate cap
	 */
	record Video(int width, int height, int maxKbps) {
	}

}
