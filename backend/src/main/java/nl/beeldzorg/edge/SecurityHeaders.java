package nl.beeldzorg.edge;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import nl.beeldzorg.system.BeeldzorgProperties;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The security headers of every response, pages and assets alike: a strict
 * Content-Security-Policy (scripts and styles only from this origin, nothing inline, no
 * framing), {@code X-Content-Type-Options}, {@code Referrer-Policy}, and a
 * {@code Permissions-Policy} that lets only the two call pages ({@code /app/},
 * {@code /glasses/}) use the camera and microphone. {@code connect-src} allows this
 * origin, its own blob URLs, its WebSocket (signalling) and the configured OIDC issuer,
 * whose sign-in (oidc-client-ts) the pages call from the browser.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders implements WebFilter {

	/** The pages that make calls: camera and microphone (and the glasses' QR scan). */
	private static final List<String> CALL_PAGES = List.of("/app/", "/glasses/");

	private static final String MEDIA_ALLOWED = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()";

	private static final String MEDIA_REFUSED = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

	private final String issuerOrigin;

	SecurityHeaders(BeeldzorgProperties properties) {
		this.issuerOrigin = origin(properties.identity().issuerUri());
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		exchange.getResponse().beforeCommit(() -> {
			write(exchange.getRequest(), exchange.getResponse().getHeaders());
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private void write(ServerHttpRequest request, HttpHeaders headers) {
		headers.set("Content-Security-Policy", policy(request));
		headers.set("X-Content-Type-Options", "nosniff");
		headers.set("Referrer-Policy", "same-origin");
		String path = request.getPath().pathWithinApplication().value();
		boolean callPage = CALL_PAGES.stream()
			.anyMatch((page) -> path.equals(page) || path.equals(page + "index.html"));
		headers.set("Permissions-Policy", callPage ? MEDIA_ALLOWED : MEDIA_REFUSED);
	}

	/**
	 * The policy for a response to this request. {@code 'self'} covers the WebSocket of
	 * the same host in current browsers; the explicit {@code ws:}/{@code wss:} source is
	 * for older WebViews on glasses.
	 */
	String policy(ServerHttpRequest request) {
		Set<String> connect = new LinkedHashSet<>();
		connect.add("'self'");
		// A photo shown from a blob URL this page made can be read back (e.g. to save
		// or check it); only same-origin script can make one.
		connect.add("blob:");
		String host = request.getHeaders().getFirst(HttpHeaders.HOST);
		if (host != null && host.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
			boolean secure = "https".equalsIgnoreCase(request.getURI().getScheme());
			connect.add((secure ? "wss://" : "ws://") + host);
		}
		String frames = "'none'";
		if (!this.issuerOrigin.isEmpty()) {
			connect.add(this.issuerOrigin);
			// oidc-client-ts renews silently in a hidden frame at the issuer when the
			// issuer gives no refresh token.
			frames = this.issuerOrigin;
		}
		return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
				+ "media-src 'self' blob:; font-src 'self'; worker-src 'self'; manifest-src 'self'; " + "connect-src "
				+ String.join(" ", connect) + "; frame-src " + frames + "; object-src 'none'; base-uri 'none'; "
				+ "form-action 'self'; frame-ancestors 'none'";
	}

	/**
	 * @param uri an issuer URI
	 * @return its origin ({@code https://host[:port]}), or empty when it is not HTTP(S)
	 * (the demo issuer's {@code urn:})
	 */
	static String origin(@Nullable String uri) {
		if (uri == null || uri.isBlank()) {
			return "";
		}
		try {
			URI parsed = URI.create(uri.trim());
			String scheme = (parsed.getScheme() != null) ? parsed.getScheme().toLowerCase(Locale.ROOT) : "";
			if (!scheme.equals("http") && !scheme.equals("https") || parsed.getHost() == null) {
				return "";
			}
			return scheme + "://" + parsed.getHost() + ((parsed.getPort() != -1) ? ":" + parsed.getPort() : "");
		}
		catch (IllegalArgumentException ex) {
			return "";
		}
	}

}
