package nl.beeldzorg.security;

import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * 401 and 403 from the security filters as problem details, like every other error.
 */
class ProblemResponses implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	private final JsonMapper json;

	ProblemResponses(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		String detail = (ex instanceof InvalidBearerTokenException)
				? "The access token is not valid: " + ex.getMessage()
				: "This call needs an access token (Authorization: Bearer …)";
		exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer");
		return write(exchange.getResponse(), ErrorCode.UNAUTHENTICATED, detail);
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange,
			org.springframework.security.access.AccessDeniedException denied) {
		return write(exchange.getResponse(), ErrorCode.FORBIDDEN, "You may not do this");
	}

	private Mono<Void> write(ServerHttpResponse response, ErrorCode code, String detail) {
		response.setStatusCode(code.status());
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] body = this.json.writeValueAsBytes(ApiException.problem(code, detail));
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
