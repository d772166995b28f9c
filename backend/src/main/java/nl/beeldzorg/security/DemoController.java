package nl.beeldzorg.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.directory.DemoDirectory;
import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The demo issuer's endpoints: the seeded users and a token for any of them. Exists only
 * in demo mode.
 */
@RestController
@RequestMapping("/demo")
@ConditionalOnBooleanProperty("beeldzorg.demo.enabled")
class DemoController {

	private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

	private final DemoIssuer issuer;

	private final DemoDeviceAuthorizations devices;

	DemoController(DemoIssuer issuer, DemoDeviceAuthorizations devices) {
		this.issuer = issuer;
		this.devices = devices;
	}

	/**
	 * The demo issuer's metadata (OpenID Connect Discovery): where its keys are, and its
	 * Device Authorization Grant.
	 */
	@GetMapping("/.well-known/openid-configuration")
	Map<String, Object> metadata(ServerHttpRequest request) {
		String base = base(request);
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("issuer", this.issuer.issuer());
		metadata.put("jwks_uri", base + "/demo/jwks.json");
		metadata.put("token_endpoint", base + "/demo/oauth/token");
		metadata.put("device_authorization_endpoint", base + "/demo/oauth/device");
		metadata.put("grant_types_supported", List.of(DEVICE_GRANT));
		metadata.put("response_types_supported", List.of());
		metadata.put("subject_types_supported", List.of("public"));
		metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
		metadata.put("token_endpoint_auth_methods_supported", List.of("none"));
		return metadata;
	}

	/**
	 * RFC 8628 §3.1: the device asks for a device code and a user code.
	 */
	@PostMapping(path = "/oauth/device", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Mono<ResponseEntity<Map<String, Object>>> deviceAuthorization(ServerWebExchange exchange) {
		String base = base(exchange.getRequest());
		return exchange.getFormData().map((form) -> {
			String clientId = form.getFirst("client_id");
			if (clientId == null || clientId.isBlank()) {
				return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "client_id is required");
			}
			DemoDeviceAuthorizations.Started started = this.devices.start(clientId);
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("device_code", started.deviceCode());
			body.put("user_code", started.userCode());
			body.put("verification_uri", base + "/demo/device");
			body.put("verification_uri_complete", base + "/demo/device?user_code=" + started.userCode());
			body.put("expires_in", started.expiresIn());
			body.put("interval", started.interval());
			return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
		});
	}

	/**
	 * RFC 8628 §3.4: the device polls with its device code; until someone approved it the
	 * answer is an OAuth error ({@code authorization_pending}, {@code slow_down},
	 * {@code expired_token}, {@code access_denied}).
	 */
	@PostMapping(path = "/oauth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Mono<ResponseEntity<Map<String, Object>>> oauthToken(ServerWebExchange exchange) {
		return exchange.getFormData().map((form) -> {
			if (!DEVICE_GRANT.equals(form.getFirst("grant_type"))) {
				return oauthError(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
						"The demo issuer's token endpoint serves the device grant only; POST /demo/token for the rest");
			}
			String deviceCode = form.getFirst("device_code");
			String clientId = form.getFirst("client_id");
			if (deviceCode == null || clientId == null) {
				return oauthError(HttpStatus.BAD_REQUEST, "invalid_request", "device_code and client_id are required");
			}
			DemoDeviceAuthorizations.Poll poll = this.devices.poll(deviceCode, clientId);
			if (poll.user() == null) {
				return oauthError(HttpStatus.BAD_REQUEST, String.valueOf(poll.error()), null);
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("access_token", this.issuer.issue(poll.user()));
			body.put("token_type", "Bearer");
			body.put("expires_in", DemoIssuer.TOKEN_TTL.toSeconds());
			return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
		});
	}

	/**
	 * The verification page (RFC 8628 §3.3) of demo mode: enter or confirm the code the
	 * glasses show, pick a demo user, approve or deny.
	 */
	@GetMapping(path = "/device", produces = MediaType.TEXT_HTML_VALUE)
	ResponseEntity<Resource> devicePage() {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_HTML)
			.cacheControl(CacheControl.noStore())
			.body(new ClassPathResource("demo/device.html"));
	}

	/**
	 * The verification page's script (the Content-Security-Policy allows no inline
	 * script).
	 */
	@GetMapping(path = "/device.js", produces = "text/javascript")
	ResponseEntity<Resource> devicePageScript() {
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/javascript"))
			.cacheControl(CacheControl.noStore())
			.body(new ClassPathResource("demo/device.js"));
	}

	@PostMapping("/device/approve")
	ResponseEntity<Void> approve(@Valid @RequestBody DeviceDecision decision) {
		DemoUser user = DemoDirectory.user(String.valueOf(decision.username()))
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
					"No demo user '" + decision.username() + "'; GET /demo/users lists them"));
		if (!this.devices.approve(decision.userCode(), user)) {
			throw noSuchCode(decision.userCode());
		}
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/device/deny")
	ResponseEntity<Void> deny(@Valid @RequestBody DeviceDecision decision) {
		if (!this.devices.deny(decision.userCode())) {
			throw noSuchCode(decision.userCode());
		}
		return ResponseEntity.noContent().build();
	}

	private static ApiException noSuchCode(String userCode) {
		return new ApiException(ErrorCode.NOT_FOUND,
				"No device is waiting for code '" + userCode + "' (expired, already used, or mistyped)");
	}

	private static ResponseEntity<Map<String, Object>> oauthError(HttpStatus status, String error,
			@Nullable String description) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		if (description != null) {
			body.put("error_description", description);
		}
		return ResponseEntity.status(status).cacheControl(CacheControl.noStore()).body(body);
	}

	private static String base(ServerHttpRequest request) {
		java.net.URI uri = request.getURI();
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

	@GetMapping("/users")
	List<UserView> users() {
		return DemoDirectory.USERS.stream().map(UserView::of).toList();
	}

	@PostMapping("/token")
	TokenResponse token(@Valid @RequestBody TokenRequest request) {
		DemoUser user = DemoDirectory.user(request.username())
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
					"No demo user '" + request.username() + "'; GET /demo/users lists them"));
		return new TokenResponse(this.issuer.issue(user), "Bearer", DemoIssuer.TOKEN_TTL.toSeconds());
	}

	@GetMapping("/jwks.json")
	Map<String, Object> jwks() {
		return this.issuer.jwks();
	}

	record DeviceDecision(@NotBlank @Size(max = 20) String userCode, @Nullable @Size(max = 100) String username) {
	}

	record TokenRequest(@NotBlank @Size(max = 100) String username) {
	}

	record TokenResponse(String accessToken, String tokenType, long expiresIn) {
	}

	record UserView(String userId, String username, String name, @Nullable Discipline discipline,
			@Nullable String institution, @Nullable String practice, List<String> roles) {

		static UserView of(DemoUser user) {
			return new UserView(user.userId(), user.username(), user.name(), user.discipline(), user.institution(),
					user.practice(), user.roles());
		}

	}

}
